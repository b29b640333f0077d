package dev.porter.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Reads the kernel's TCP socket tables, {@code /proc/net/tcp} and {@code /proc/net/tcp6}: the
 * data {@code ss -ant} shows, for Porter's {@code /status} and the benchmark.
 *
 * <p>The tables cover a whole network namespace, not one process: {@code /proc/net} is the
 * reader's namespace, {@code /proc/<pid>/net} another process's. The kernel writes them a page
 * at a time without a lock across pages, so a socket that changes state during the read can
 * be missed or seen twice ({@link #read} drops the second sighting); treat the result as a
 * sample, as {@code ss} users do.
 *
 * <p>Stateless; usable from any thread. {@link #read} does blocking file I/O, and with tens of
 * thousands of sockets the kernel takes milliseconds to produce the text: callers run it off
 * the event loops (the admin listener's blocking executor, the benchmark's sampler thread).
 */
public final class ProcNetTcp {
    /** The current process's network namespace. */
    public static final Path DEFAULT_DIR = Path.of("/proc/net");

    // Column widths of "local_address": 8 hex digits for IPv4, 32 for IPv6, then ":PORT".
    private static final int V4_HEX_DIGITS = 8;
    private static final int V6_HEX_DIGITS = 32;

    private ProcNetTcp() {
    }

    /** Reads {@code tcp} and {@code tcp6} from {@link #DEFAULT_DIR}. */
    public static List<TcpSocket> read() throws IOException {
        return read(DEFAULT_DIR);
    }

    /**
     * Reads {@code tcp} and then {@code tcp6} from {@code procNetDir}. A missing {@code tcp6}
     * means the kernel has IPv6 off and contributes nothing; a missing {@code tcp} is an error.
     *
     * @throws IOException if a table can't be read
     * @throws IllegalArgumentException if a table holds a line that is not a socket
     */
    public static List<TcpSocket> read(Path procNetDir) throws IOException {
        List<TcpSocket> sockets = new ArrayList<>();
        readInto(procNetDir.resolve("tcp"), sockets);
        try {
            readInto(procNetDir.resolve("tcp6"), sockets);
        } catch (NoSuchFileException ipv6Off) {
            // ipv6.disable=1 or a kernel without IPv6: there are no IPv6 sockets to count.
        }
        return distinct(sockets);
    }

    /**
     * Drops a connected socket listed twice. The kernel writes the tables a page at a time
     * without a lock across pages, and a read while connections come and go can list a socket
     * twice (seen: 8 ESTABLISHED rows for 4 open connections; TIME_WAIT counts read high under
     * churn); a connected socket's address pair names it within the namespace, so a second row
     * with the same pair is the same socket again. Listening sockets are kept as read: several
     * can share an address pair (SO_REUSEPORT).
     */
    static List<TcpSocket> distinct(List<TcpSocket> sockets) {
        Set<List<InetSocketAddress>> seen = new HashSet<>();
        List<TcpSocket> out = new ArrayList<>(sockets.size());
        for (TcpSocket s : sockets) {
            if (s.state() == TcpState.LISTEN || seen.add(List.of(s.local(), s.remote()))) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Parses the text of a {@code /proc/net/tcp} or {@code /proc/net/tcp6} table, header line
     * included. Each line's family is told by the width of its address, so the two tables may
     * even be concatenated. Lines with a state code this class doesn't know (a newer kernel)
     * are skipped rather than failing the whole census.
     *
     * @throws IllegalArgumentException naming the line, if a line is not a socket
     */
    public static List<TcpSocket> parse(String text) {
        return parse(text, ByteOrder.nativeOrder());
    }

    /** {@link #parse(String)} for a table written by a host of byte order {@code order}. */
    static List<TcpSocket> parse(String text, ByteOrder order) {
        List<TcpSocket> sockets = new ArrayList<>();
        parseLines(text.lines().iterator(), order, sockets);
        return List.copyOf(sockets);
    }

    private static void readInto(Path file, List<TcpSocket> sockets) throws IOException {
        // Streamed rather than read whole: a table of 60,000 TIME_WAIT sockets is ~9 MB of text.
        // ISO-8859-1 can't fail to decode; the kernel writes ASCII anyway.
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            parseLines(in.lines().iterator(), ByteOrder.nativeOrder(), sockets);
        } catch (UncheckedIOException e) {
            throw e.getCause(); // BufferedReader.lines() wraps read errors
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static void parseLines(Iterator<String> lines, ByteOrder order, List<TcpSocket> out) {
        // Hand-split rather than a regex, and one InetAddress per distinct host: during an
        // incident the table holds tens of thousands of lines, nearly all to a few addresses,
        // and this runs on a host whose cores the proxy needs.
        Map<String, InetAddress> hosts = new HashMap<>();
        int[] bounds = new int[8];
        int lineNumber = 0;
        while (lines.hasNext()) {
            String line = lines.next();
            lineNumber++;
            int fields = split4(line, bounds);
            if (fields == 0 || line.startsWith("sl", bounds[0])) {
                continue; // blank, or the header "sl local_address rem_address st ..."
            }
            if (fields < 4) {
                throw new IllegalArgumentException("line " + lineNumber + ": not a socket: " + line);
            }
            try {
                TcpState state = TcpState.orNull(Integer.parseInt(line, bounds[6], bounds[7], 16));
                if (state != null) {
                    out.add(new TcpSocket(address(line, bounds[2], bounds[3], order, hosts),
                            address(line, bounds[4], bounds[5], order, hosts), state));
                }
            } catch (IllegalArgumentException e) { // NumberFormatException included
                throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage() + ": " + line, e);
            }
        }
    }

    /** Start and end of the first four space-separated fields; returns how many were found. */
    private static int split4(String line, int[] bounds) {
        int n = 0;
        int i = 0;
        int len = line.length();
        while (n < 4) {
            while (i < len && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= len) {
                break;
            }
            bounds[2 * n] = i;
            while (i < len && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            bounds[2 * n + 1] = i;
            n++;
        }
        return n;
    }

    private static InetSocketAddress address(String line, int start, int end, ByteOrder order, Map<String, InetAddress> hosts) {
        int colon = line.indexOf(':', start);
        if (colon < 0 || colon >= end) {
            throw new IllegalArgumentException("not an address: " + line.substring(start, end));
        }
        String host = line.substring(start, colon);
        InetAddress address = hosts.get(host);
        if (address == null) {
            address = host(host, order);
            hosts.put(host, address);
        }
        return new InetSocketAddress(address, Integer.parseInt(line, colon + 1, end, 16));
    }

    /** Parses the {@code HEXADDR} of {@code HEXADDR:HEXPORT} as the kernel prints it in {@code tcp4_seq_show}. */
    private static InetAddress host(String hex, ByteOrder order) {
        if (hex.length() != V4_HEX_DIGITS && hex.length() != V6_HEX_DIGITS) {
            throw new IllegalArgumentException("not an address: " + hex);
        }
        // The kernel prints each 32-bit word of the address as a host-order integer, so on a
        // little-endian host every 4-byte group reads backwards (the port is ntohs'd first and
        // reads the right way round).
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            int v = Integer.parseUnsignedInt(hex, word * 8, word * 8 + 8, 16);
            for (int i = 0; i < 4; i++) {
                int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (3 - i);
                bytes[word * 4 + i] = (byte) (v >>> shift);
            }
        }
        return inetAddress(unmapIpv4(bytes));
    }

    /**
     * The IPv4 address inside an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, RFC 4291
     * section 2.5.5.2), else {@code bytes} unchanged. A dual-stack socket (Java's default, and
     * Netty's on epoll) talking IPv4 shows in {@code tcp6} in this form; unmapped here, it
     * compares equal to the IPv4 address in the config.
     */
    private static byte[] unmapIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return bytes;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return bytes;
            }
        }
        if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return bytes;
        }
        return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
    }

    private static InetAddress inetAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes); // no lookup: a literal address has no name
        } catch (UnknownHostException e) {
            throw new AssertionError("address of " + bytes.length + " bytes", e); // always 4 or 16
        }
    }
}

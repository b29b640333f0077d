package dev.porter.bench.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code /proc/net/tcp} and {@code /proc/net/tcp6} of the current network namespace.
 *
 * <p>The address columns are hex: IPv4 as one 32-bit word in host (little-endian) order,
 * IPv6 as four such words; ports are big-endian hex. IPv4-mapped IPv6 addresses come out as
 * plain IPv4 ({@link InetAddress#getByAddress} does that), so a listener bound to {@code ::}
 * and one bound to {@code 0.0.0.0} compare the same.
 */
public final class ProcTcpTable implements TcpTable {
    private final Path dir;

    /** Reads from {@code dir}/tcp and {@code dir}/tcp6, normally {@code /proc/net}. */
    public ProcTcpTable(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<TcpEntry> read() throws IOException {
        List<TcpEntry> all = new ArrayList<>(parse(readIfPresent(dir.resolve("tcp"))));
        all.addAll(parse(readIfPresent(dir.resolve("tcp6"))));
        return all;
    }

    private static String readIfPresent(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            // no IPv6 in this kernel or namespace
            return "";
        }
    }

    /** Parses the text of one table; the header line and malformed lines are skipped. */
    public static List<TcpEntry> parse(String text) {
        List<TcpEntry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // "sl local_address rem_address st ...": data lines start with "N:"
            if (f.length < 4 || !f[0].endsWith(":")) {
                continue;
            }
            try {
                entries.add(new TcpEntry(address(f[1]), address(f[2]), Integer.parseInt(f[3], 16)));
            } catch (IllegalArgumentException | UnknownHostException e) {
                // a line we do not understand is not worth failing a sample for
            }
        }
        return entries;
    }

    static InetSocketAddress address(String hexAddrPort) throws UnknownHostException {
        int colon = hexAddrPort.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(hexAddrPort);
        }
        String hex = hexAddrPort.substring(0, colon);
        int port = Integer.parseInt(hexAddrPort.substring(colon + 1), 16);
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException(hexAddrPort);
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            long v = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
            // each 32-bit word was printed from host order: little-endian on x86 and arm64
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = (byte) (v >>> (8 * i));
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
    }
}

package dev.porter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel holds for one loopback TCP connection, read from {@code /proc/net/tcp}: lets
 * a test wait until bytes it sent really sit in Porter's receive queue, or until a reset
 * really reached Porter's socket, before it lets Porter's held event loop run
 * ({@link OneLoopPorter#hold()}). Sockets are matched by local and remote port (loopback). {@link dev.porter.tcp.ProcNetTcp} reads states only; this needs the queue columns.
 */
public final class KernelSockets {
    private static final String ESTABLISHED = "01";
    private static final String LISTEN = "0A";

    private KernelSockets() {
    }

    /** Bytes waiting in the receive queue of the ESTABLISHED socket {@code localPort → remotePort}; -1 if none. */
    public static long receiveQueue(int localPort, int remotePort) {
        String[] f = socket(localPort, remotePort, ESTABLISHED);
        return f == null ? -1 : queue(f, false);
    }

    /**
     * Bytes in the send queue of the ESTABLISHED socket {@code localPort → remotePort} (written
     * by the application and not yet acknowledged by the peer's kernel); -1 if none.
     */
    public static long sendQueue(int localPort, int remotePort) {
        String[] f = socket(localPort, remotePort, ESTABLISHED);
        return f == null ? -1 : queue(f, true);
    }

    /**
     * Connections waiting in the accept queue of the socket listening on {@code localPort}
     * (for a listener the kernel reports that queue's length as its receive queue); -1 if none.
     */
    public static long acceptQueue(int localPort) {
        String[] f = socket(localPort, -1, LISTEN);
        return f == null ? -1 : queue(f, false);
    }

    /** Whether an ESTABLISHED socket {@code localPort → remotePort} exists. */
    public static boolean established(int localPort, int remotePort) {
        return receiveQueue(localPort, remotePort) >= 0;
    }

    /** The fields of the socket in {@code state} on {@code localPort} (to {@code remotePort}, unless -1); null if none. */
    private static String[] socket(int localPort, int remotePort, String state) {
        for (String line : lines()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 4 && port(f[1]) == localPort && (remotePort < 0 || port(f[2]) == remotePort) && f[3].equals(state)) {
                return f;
            }
        }
        return null;
    }

    /** The tx_queue:rx_queue column's send ({@code tx}) or receive half. */
    private static long queue(String[] fields, boolean tx) {
        String q = fields[4];
        int colon = q.indexOf(':');
        return Long.parseLong(tx ? q.substring(0, colon) : q.substring(colon + 1), 16);
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }

    /** Both tables: the JDK and Netty's epoll open IPv6 sockets when they can, even for 127.0.0.1. */
    private static List<String> lines() {
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> all = Files.readAllLines(Path.of(table));
                out.addAll(all.subList(1, all.size()));
            } catch (NoSuchFileException ipv6Off) {
                // no IPv6 sockets at all
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}

package dev.porter.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's ephemeral port range ({@code net.ipv4.ip_local_port_range}, which also governs
 * IPv6), both ends inclusive. Its {@link #size()} is how many connections the proxy can have
 * open or in TIME_WAIT toward one upstream {@code ip:port} from one source address: the kernel
 * only needs the 4-tuple to be unique, so each upstream gets the whole range.
 *
 * <p>Immutable; usable from any thread. {@link #read} does blocking file I/O: call it off the
 * event loops.
 */
public record LocalPortRange(int low, int high) {
    /** Where the kernel publishes the range for the reader's network namespace. */
    public static final Path DEFAULT_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    // "65535\t65535\n" is 12 bytes; anything much longer is not a port range.
    private static final int MAX_LENGTH = 64;

    public LocalPortRange {
        // The sysctl itself refuses ports below 1 and a range whose ends are swapped.
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("not a port range: " + low + " " + high);
        }
    }

    /** How many ports the range holds. */
    public int size() {
        return high - low + 1;
    }

    /** Reads the range of the current network namespace from {@link #DEFAULT_FILE}. */
    public static LocalPortRange read() throws IOException {
        return read(DEFAULT_FILE);
    }

    /**
     * Reads a range written as the kernel does: two numbers separated by whitespace (a tab in
     * practice) and a newline.
     *
     * @throws IOException if the file can't be read or doesn't hold a port range
     */
    public static LocalPortRange read(Path file) throws IOException {
        String text;
        // One read() with room for the whole value: a sysctl file answers EOF to any read that
        // doesn't start at offset 0, so Files.readString (which probes with a 1-byte read when
        // the file's size is 0, as /proc sizes are) gets only the first digit.
        try (InputStream in = Files.newInputStream(file)) {
            text = new String(in.readNBytes(MAX_LENGTH), StandardCharsets.US_ASCII);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static LocalPortRange parse(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected two port numbers, was \"" + text.strip() + "\"");
        }
        try {
            return new LocalPortRange(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected two port numbers, was \"" + text.strip() + "\"", e);
        }
    }
}

package dev.porter.config;

/**
 * Which socket transport the workers use ({@code porter.transport}). {@link #AUTO} takes the
 * cheapest one this machine has: io_uring, then epoll, then NIO. Naming one that does not load
 * here refuses the start, instead of silently running on another.
 */
public enum TransportChoice {
    AUTO, EPOLL, IO_URING, NIO;

    /** The name as written in the file. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static TransportChoice parse(String raw) {
        for (TransportChoice c : values()) {
            if (c.configName().equals(raw)) {
                return c;
            }
        }
        return null;
    }
}

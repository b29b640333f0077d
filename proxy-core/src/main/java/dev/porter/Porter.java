package dev.porter;

import dev.porter.config.ProxyConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * A running Porter: its event loops, listeners and upstream pools. Built once by
 * {@link #start(ProxyConfig)}; the process's {@code main} owns it and passes it down.
 */
public final class Porter implements AutoCloseable {

    /**
     * Binds every listener and starts the event loops. Blocks until bound; call it from
     * {@code main}, never from an event loop.
     *
     * @throws java.io.UncheckedIOException when an address cannot be bound (with the address)
     */
    public static Porter start(ProxyConfig config) {
        throw new UnsupportedOperationException("being written");
    }

    /** The addresses actually bound, in listener order (port 0 in config becomes a real port). */
    public List<InetSocketAddress> listenAddresses() {
        throw new UnsupportedOperationException("being written");
    }

    /** The configuration now in force. */
    public ProxyConfig config() {
        throw new UnsupportedOperationException("being written");
    }

    /**
     * Stops accepting, lets in-flight requests finish for up to {@code timeout}, closes idle
     * connections, drains the pools and stops the event loops. Blocks until done.
     */
    public void shutdownGracefully(Duration timeout) {
        throw new UnsupportedOperationException("being written");
    }

    /** Immediate stop: {@code shutdownGracefully(Duration.ZERO)}. */
    @Override
    public void close() {
        shutdownGracefully(Duration.ZERO);
    }
}

package dev.porter.tls;

import dev.porter.config.ListenerTlsConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;

/**
 * A TLS listener's current {@link ServerTls}, replaced on reload. Every new connection takes
 * the one in force when it is accepted (one volatile read), so that swapping certificates
 * never touches connections already open: they finish with the certificate they started with.
 *
 * <p>Thread-safe: read by every worker's event loop, swapped from the reload thread.
 */
public final class ListenerTls {
    /** Pipeline names of the two handlers {@link #addTo} puts first in a client pipeline. */
    public static final String TLS = "tls";
    public static final String TLS_HANDSHAKE = "tls-handshake";

    private volatile ServerTls current;
    private volatile ListenerTlsConfig config;

    private ListenerTls(ServerTls current, ListenerTlsConfig config) {
        this.current = current;
        this.config = config;
    }

    public static ListenerTls start(ListenerTlsConfig config, SslProvider provider) throws SSLException {
        return new ListenerTls(ServerTls.build(config, provider), config);
    }

    /** The settings now in force. */
    public ListenerTlsConfig config() {
        return config;
    }

    public ServerTls current() {
        return current;
    }

    /** Takes effect for connections accepted from now on. */
    public void swap(ServerTls next, ListenerTlsConfig nextConfig) {
        config = nextConfig;
        current = next;
    }

    /**
     * Puts TLS first in a new client connection's pipeline:
     * {@code tls → tls-handshake → (the plain HTTP pipeline)}. The rest of the pipeline sees the
     * connection become active only once its handshake has completed.
     */
    public void addTo(ChannelPipeline pipeline) {
        ServerTls tls = current;
        pipeline.addLast(TLS, tls.newClientHandler()).addLast(TLS_HANDSHAKE, tls.newHandshakeHandler());
    }
}

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
    /** Pipeline name of the handler {@link #addTo} puts first in a client pipeline. */
    public static final String TLS = "tls";

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
     * Puts TLS first in a new client connection's pipeline, as it stands now. The caller puts the
     * handshake's gate right after it, which holds the rest of the pipeline back until the
     * handshake has completed and times it.
     *
     * @return the handshake timeout of the TLS put in, counted from accept
     */
    public long addTo(ChannelPipeline pipeline) {
        ServerTls tls = current;
        pipeline.addLast(TLS, tls.newClientHandler());
        return tls.handshakeTimeoutNanos();
    }
}

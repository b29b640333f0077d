package dev.porter.upstream;

import dev.porter.tls.UpstreamTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

import java.net.InetSocketAddress;

/**
 * Builds an upstream connection's pipeline once, when it connects: {@code [tls →] handler}.
 * Nothing is added or removed per request (Zuul's per-request pipeline surgery is a known source
 * of ordering bugs). {@code tls} is there when the group speaks TLS to its servers; the pool
 * hands the connection out only once its handshake is done. There is no HTTP codec: requests go
 * out as the bytes the exchange wrote, and {@link UpstreamHandler} parses responses itself.
 */
final class UpstreamChannelInitializer extends ChannelInitializer<Channel> {
    static final String TLS = "tls";
    static final String HANDLER = "handler";
    /** Put in front of {@link #HANDLER} when the connection becomes a WebSocket tunnel. */
    static final String TUNNEL = "tunnel";

    private final UpstreamTls tls;
    private final InetSocketAddress server;

    /** @param tls null for plain connections */
    UpstreamChannelInitializer(UpstreamTls tls, InetSocketAddress server) {
        this.tls = tls;
        this.server = server;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (tls != null) {
            ch.pipeline().addLast(TLS, tls.newHandler(ch.alloc(), server));
        }
        ch.pipeline().addLast(HANDLER, new UpstreamHandler());
    }
}

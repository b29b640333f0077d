package dev.porter.upstream;

import dev.porter.http.UpstreamHttpCodec;
import dev.porter.tls.UpstreamTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

import java.net.InetSocketAddress;

/**
 * Builds an upstream connection's pipeline once, when it connects:
 * {@code [tls →] codec → handler}. Nothing is added or removed per request (Zuul's per-request
 * pipeline surgery is a known source of ordering bugs). {@code tls} is there when the group
 * speaks TLS to its servers; the pool hands the connection out only once its handshake is done.
 */
final class UpstreamChannelInitializer extends ChannelInitializer<Channel> {
    static final String TLS = "tls";
    static final String CODEC = "codec";
    static final String HANDLER = "handler";
    private static final int MAX_RESPONSE_LINE = 8192;
    private static final int MAX_RESPONSE_HEADER = 64 * 1024;

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
        ch.pipeline()
                .addLast(CODEC, new UpstreamHttpCodec(MAX_RESPONSE_LINE, MAX_RESPONSE_HEADER))
                .addLast(HANDLER, new UpstreamHandler());
    }
}

package dev.porter.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;

/**
 * Builds an upstream connection's pipeline once, when it connects:
 * {@code codec → handler}. Nothing is added or removed per request (Zuul's per-request
 * pipeline surgery is a known source of ordering bugs).
 */
final class UpstreamChannelInitializer extends ChannelInitializer<Channel> {
    static final String CODEC = "codec";
    static final String HANDLER = "handler";
    private static final int MAX_RESPONSE_LINE = 8192;
    private static final int MAX_RESPONSE_HEADER = 64 * 1024;
    private static final int MAX_CHUNK = 8192;

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast(CODEC, new HttpClientCodec(MAX_RESPONSE_LINE, MAX_RESPONSE_HEADER, MAX_CHUNK))
                .addLast(HANDLER, new UpstreamHandler());
    }
}

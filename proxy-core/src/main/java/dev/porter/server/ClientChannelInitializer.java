package dev.porter.server;

import dev.porter.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;

import java.util.Map;

/**
 * Builds a client connection's pipeline:
 * {@code timeouts → codec → flow-control → proxy}. {@link FlowControlHandler} is there
 * because turning auto-read off does not stop messages that one read already decoded
 * (netty#9334): it holds them until the proxy asks for more.
 */
public final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    static final String TIMEOUTS = "timeouts";
    static final String CODEC = "codec";
    static final String FLOW_CONTROL = "flow-control";
    static final String PROXY = "proxy";
    private static final int MAX_CHUNK = 8192;

    private final Map<EventLoop, Worker> workers;
    private final ListenerConfig listener;

    public ClientChannelInitializer(Map<EventLoop, Worker> workers, ListenerConfig listener) {
        this.workers = workers;
        this.listener = listener;
    }

    @Override
    protected void initChannel(Channel ch) {
        Worker worker = workers.get(ch.eventLoop());
        ClientTimeoutHandler timeouts = new ClientTimeoutHandler(listener);
        ch.pipeline()
                .addLast(TIMEOUTS, timeouts)
                .addLast(CODEC, new HttpServerCodec(listener.maxRequestLine(), listener.maxHeaderSize(), MAX_CHUNK))
                .addLast(FLOW_CONTROL, new FlowControlHandler())
                .addLast(PROXY, new ProxyHandler(worker, listener, timeouts));
    }
}

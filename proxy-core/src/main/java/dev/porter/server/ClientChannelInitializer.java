package dev.porter.server;

import dev.porter.client.RealIp;
import dev.porter.config.ListenerConfig;
import dev.porter.tls.ListenerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import dev.porter.http.ClientHttpCodec;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.flow.FlowControlHandler;

import java.util.Map;

/**
 * Builds a client connection's pipeline:
 * {@code [proxy-protocol-decoder → proxy-protocol →] [tls → tls-handshake →] limits → send-timeout
 * → timeouts → codec → flow-control → rate-limit → proxy}.
 * On a PROXY protocol listener the PROXY header is read first, as it comes before anything else
 * on the wire, TLS included ({@link ClientProxyProtocolHandler}); the rest sees the connection
 * become active only once it has arrived.
 * On a TLS listener {@link ListenerTls} puts its two handlers next; the rest then sees the
 * connection become active only once its handshake is done.
 * The connection's address ({@link ClientPeer}: socket or PROXY, and per request the trusted
 * real IP) is made here and shared by the handlers that name the client.
 * {@link FlowControlHandler} is there because turning auto-read off does not stop messages
 * that one read already decoded (netty#9334): it holds them until the proxy asks for more.
 * {@code limits} and {@code rate-limit} are there only when the listener sets a connection
 * or rate limit; their state ({@link ListenerLimits}) is the listener's, shared by all workers.
 */
public final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    static final String PROXY_PROTOCOL_DECODER = "proxy-protocol-decoder";
    static final String PROXY_PROTOCOL = "proxy-protocol";
    static final String LIMITS = "limits";
    static final String SEND_TIMEOUT = "send-timeout";
    static final String TIMEOUTS = "timeouts";
    static final String CODEC = "codec";
    static final String FLOW_CONTROL = "flow-control";
    static final String RATE_LIMIT = "rate-limit";
    static final String PROXY = "proxy";

    private final Map<EventLoop, Worker> workers;
    private final ListenerConfig listener;
    private final ListenerLimits limits;
    private final ListenerTls tls;
    private final RealIp realIp;

    /** @param tls the listener's TLS, or null for plain HTTP */
    public ClientChannelInitializer(Map<EventLoop, Worker> workers, ListenerConfig listener, ListenerTls tls) {
        this.workers = workers;
        this.listener = listener;
        this.limits = new ListenerLimits(listener);
        this.tls = tls;
        this.realIp = RealIp.of(listener.realIp());
    }

    @Override
    protected void initChannel(Channel ch) {
        Worker worker = workers.get(ch.eventLoop());
        ClientTimeoutHandler timeouts = new ClientTimeoutHandler(listener);
        ClientLimitHandler connectionLimits = null;
        ClientPeer peer = new ClientPeer(ch.remoteAddress(), realIp);
        if (listener.proxyProtocol()) {
            // A v2 header's TLVs are bounded as a request's header block is: by max-header-size.
            ch.pipeline()
                    .addLast(PROXY_PROTOCOL_DECODER, new HAProxyMessageDecoder(listener.maxHeaderSize()))
                    .addLast(PROXY_PROTOCOL, new ClientProxyProtocolHandler(peer, listener.proxyProtocolTimeout().toNanos()));
        }
        if (tls != null) {
            tls.addTo(ch.pipeline());
        }
        if (limits.enabled()) {
            connectionLimits = new ClientLimitHandler(limits, peer, worker.clientStats(), listener.closeInitiator(),
                    listener.lingerTimeout().toNanos());
            ch.pipeline().addLast(LIMITS, connectionLimits);
        }
        ch.pipeline()
                .addLast(SEND_TIMEOUT, new ClientSendTimeoutHandler(listener.sendTimeout().toNanos()))
                .addLast(TIMEOUTS, timeouts)
                .addLast(CODEC, new ClientHttpCodec(listener.maxRequestLine(), listener.maxHeaderSize()))
                .addLast(FLOW_CONTROL, new FlowControlHandler());
        if (limits.rateLimited()) {
            ch.pipeline().addLast(RATE_LIMIT, new ClientRateLimitHandler(limits, connectionLimits, peer, worker.clientStats(), listener));
        }
        ch.pipeline().addLast(PROXY, new ProxyHandler(worker, listener, timeouts, peer));
    }
}

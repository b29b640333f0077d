package dev.porter.server;

import dev.porter.client.RealIp;
import dev.porter.config.ListenerConfig;
import dev.porter.tls.ListenerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds a client connection's pipeline:
 * {@code [proxy-protocol-decoder → proxy-protocol →] [tls → tls-handshake →] [limits →] client}.
 * On a PROXY protocol listener the PROXY header is read first, as it comes before anything else
 * on the wire, TLS included ({@link ClientProxyProtocolHandler}); the rest sees the connection
 * become active only once it has arrived.
 * On a TLS listener {@link ListenerTls} puts its handler next, and {@link ClientTlsHandshakeHandler}
 * after it; the rest then sees the connection become active only once its handshake is done.
 * Both are {@link ClientGateHandler}s.
 * The connection's address ({@link ClientPeer}: socket or PROXY, and per request the trusted
 * real IP) is made here and shared by the handlers that name the client; what the connections
 * of one worker share ({@link WorkerListener}) is made once per worker, up front.
 * {@code limits} is there only when the listener sets a connection or rate limit; its state
 * ({@link ListenerLimits}) is the listener's, shared by all workers. There is no HTTP codec:
 * {@link ClientConnectionHandler} parses requests itself and the exchange writes responses as bytes.
 */
public final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    static final String PROXY_PROTOCOL_DECODER = "proxy-protocol-decoder";
    static final String PROXY_PROTOCOL = "proxy-protocol";
    static final String TLS_HANDSHAKE = "tls-handshake";
    static final String LIMITS = "limits";
    static final String CLIENT = "client";
    /** Put in front of {@link #CLIENT} when the connection becomes a WebSocket tunnel. */
    static final String TUNNEL = "tunnel";

    private final Map<EventLoop, Worker> workers;
    /** Per worker: what this listener's connections on it share. Built up front, read-only after. */
    private final Map<EventLoop, WorkerListener> shared;
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
        ClientRateLimit rateLimit = limits.rateLimited() ? new ClientRateLimit(limits) : null;
        Map<EventLoop, WorkerListener> byLoop = new HashMap<>();
        workers.forEach((loop, worker) -> byLoop.put(loop, new WorkerListener(worker, listener, rateLimit)));
        this.shared = Map.copyOf(byLoop);
    }

    @Override
    protected void initChannel(Channel ch) {
        Worker worker = workers.get(ch.eventLoop());
        WorkerListener here = shared.get(ch.eventLoop());
        ClientPeer peer = new ClientPeer(ch.remoteAddress(), realIp);
        if (listener.proxyProtocol()) {
            // A v2 header's TLVs are bounded as a request's header block is: by max-header-size.
            ch.pipeline()
                    .addLast(PROXY_PROTOCOL_DECODER, new HAProxyMessageDecoder(listener.maxHeaderSize()))
                    .addLast(PROXY_PROTOCOL, new ClientProxyProtocolHandler(peer, listener.proxyProtocolTimeout().toNanos()));
        }
        if (tls != null) {
            long handshakeTimeoutNanos = tls.addTo(ch.pipeline());
            ch.pipeline().addLast(TLS_HANDSHAKE, new ClientTlsHandshakeHandler(handshakeTimeoutNanos));
        }
        if (limits.enabled()) {
            ch.pipeline().addLast(LIMITS, new ClientLimitHandler(limits, peer, worker.clientStats(), listener.closeInitiator(),
                    listener.lingerTimeout().toNanos()));
        }
        ch.pipeline().addLast(CLIENT, new ClientConnectionHandler(here, peer));
    }
}

package dev.porter.server;

import dev.porter.client.ClientAddress;
import dev.porter.close.ClientClosePolicy;
import dev.porter.config.ListenerConfig;
import dev.porter.http.ErrorResponses;
import dev.porter.metrics.ClientStats;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Enforces the listener's {@code rate-per-ip} / {@code rate-burst}: each decoded request
 * takes a token from its client address's {@link TokenBucket} (shared by all of that
 * address's connections, on every worker); a request that finds none is answered
 * {@code 429 Too Many Requests} with {@code Connection: close} and never forwarded, and the
 * connection ends after the answer by the listener's {@code close-initiator} ({@link ClientClosePolicy}). The request and whatever follows it on the connection
 * are released here.
 *
 * <p>Pipeline position:
 * {@code limits → send-timeout → timeouts → codec → flow-control → rate-limit → proxy}.
 * It must see decoded requests, so it sits after the codec; and it sits after flow-control
 * so that it sees a pipelined request only when the proxy asks for it, that is after the
 * previous response: answering 429 as soon as the codec decodes a pipelined request would put
 * the 429 ahead of responses still owed (RFC 9112 §9.3.2). The address is the request's client
 * address ({@link ClientPeer}): the connection's (socket or PROXY), whose state comes from
 * {@link ClientLimitHandler}, which acquired it when the connection opened, so such a request
 * costs one compare-and-set and no cache lookup; or the real IP a trusted hop named
 * ({@code set-real-ip-from}), whose state is looked up per request.
 * Added only when {@code rate-per-ip} is set.
 *
 * <p>Confined to the channel's event loop.
 */
final class ClientRateLimitHandler extends ChannelInboundHandlerAdapter {
    private static final Logger logger = LoggerFactory.getLogger(ClientRateLimitHandler.class);

    private final ListenerLimits limits;
    private final ClientLimitHandler connection;
    private final ClientPeer peer;
    private final ClientStats stats;
    private final ListenerConfig listener;
    /** A request was refused: everything after it is dropped until the connection closes. */
    private boolean refused;

    ClientRateLimitHandler(ListenerLimits limits, ClientLimitHandler connection, ClientPeer peer, ClientStats stats,
                           ListenerConfig listener) {
        this.limits = limits;
        this.connection = connection;
        this.peer = peer;
        this.stats = stats;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            ListenerLimits.AddressState address = stateOf(request);
            if (address != null && address.bucket() != null && !address.bucket().tryAcquire(limits.now())) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, address.bucket());
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The state of the request's client address; null for a connection that is not an IP one (tests' embedded channels). */
    private ListenerLimits.AddressState stateOf(HttpRequest request) {
        ClientAddress client = peer.of(request);
        if (client == client.peer() || client.ip() == null) {
            return connection.addressState();
        }
        // A client named by a trusted hop: not this connection's address, so looked up.
        return limits.state(client.ip());
    }

    private void refuse(ChannelHandlerContext ctx, TokenBucket bucket) {
        refused = true;
        logger.debug("{} request refused: rate-per-ip exceeded", ctx.channel());
        stats.response(HttpResponseStatus.TOO_MANY_REQUESTS.code());
        FullHttpResponse response = ErrorResponses.of(ctx.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS, true);
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(bucket.nanosUntilToken(limits.now()) + 999_999_999L));
        // RFC 6585 §4: a Retry-After is optional; it tells a well-behaved client when to come back.
        response.headers().set(HttpHeaderNames.RETRY_AFTER, seconds);
        // The refused request's body, if any, was not read: the client may still be sending it.
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> ClientClosePolicy.close(f.channel(),
                listener.closeInitiator(), listener.lingerTimeout().toNanos(), true, false));
    }
}

package dev.porter.server;

import dev.porter.client.ClientAddress;
import dev.porter.close.ClientClosePolicy;
import dev.porter.config.ListenerConfig;
import dev.porter.exchange.AccessLog;
import dev.porter.http.ErrorResponses;
import dev.porter.http.MessageHead;
import dev.porter.metrics.ClientStats;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The responses Porter writes itself on a client connection, for requests that never reach an
 * upstream (refused, unroutable, unparsable, too slow): each is counted in the worker's client
 * stats and has its access log line. A 429 also ends the connection by the listener's
 * close-initiator, as one whose request was not read.
 *
 * <p>One per listener and worker; used by {@link ClientConnectionHandler} on the connection's
 * event loop, which is also its worker's.
 */
final class LocalResponses {
    private final ClientStats stats;
    private final ListenerConfig listener;

    LocalResponses(ClientStats stats, ListenerConfig listener) {
        this.stats = stats;
        this.listener = listener;
    }

    /**
     * Writes {@code status} for {@code request} (null when none could be parsed), with
     * {@code Connection: close} when {@code end}; the caller ends the connection then.
     */
    void write(ChannelHandlerContext ctx, MessageHead request, ClientAddress client, HttpResponseStatus status, boolean end) {
        log(request, client, status);
        stats.response(status.code());
        ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), status, end));
    }

    /** rate-per-ip: 429 with a Retry-After, and the connection ends as one whose request was not read. */
    void tooManyRequests(ChannelHandlerContext ctx, MessageHead request, ClientAddress client, long retryAfterSeconds) {
        stats.response(HttpResponseStatus.TOO_MANY_REQUESTS.code());
        log(request, client, HttpResponseStatus.TOO_MANY_REQUESTS);
        ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS, true, retryAfterSeconds))
                .addListener((ChannelFutureListener) f -> ClientClosePolicy.close(f.channel(), listener.closeInitiator(),
                        listener.lingerTimeout().toNanos(), true, false));
    }

    private static void log(MessageHead request, ClientAddress client, HttpResponseStatus status) {
        if (request != null && AccessLog.enabled()) {
            AccessLog.log(client, request, status.code(), 0, null, 0, 0, false);
        }
    }
}

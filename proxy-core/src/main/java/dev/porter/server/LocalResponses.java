package dev.porter.server;

import dev.porter.client.ClientAddress;
import dev.porter.exchange.AccessLog;
import dev.porter.http.ErrorResponses;
import dev.porter.http.MessageHead;
import dev.porter.metrics.ClientStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The responses Porter writes itself on a client connection, for requests that never reach an
 * upstream (refused, unroutable, unparsable, too slow): each is counted in the worker's client
 * stats and has its access log line.
 *
 * <p>One per listener and worker; used by {@link ClientConnectionHandler} on the connection's
 * event loop, which is also its worker's.
 */
final class LocalResponses {
    private final ClientStats stats;

    LocalResponses(ClientStats stats) {
        this.stats = stats;
    }

    /**
     * Writes {@code status} for {@code request} (null when none could be parsed), with
     * {@code Connection: close} when {@code end}; the caller ends the connection then. A 429
     * says when to come back ({@code Retry-After}, RFC 6585 §4).
     */
    void write(ChannelHandlerContext ctx, MessageHead request, ClientAddress client, HttpResponseStatus status, boolean end,
               long retryAfterSeconds) {
        log(request, client, status);
        stats.response(status.code());
        ctx.writeAndFlush(status == HttpResponseStatus.TOO_MANY_REQUESTS
                ? ErrorResponses.of(ctx.alloc(), status, end, retryAfterSeconds)
                : ErrorResponses.of(ctx.alloc(), status, end), ctx.voidPromise());
    }

    private static void log(MessageHead request, ClientAddress client, HttpResponseStatus status) {
        if (request != null && AccessLog.enabled()) {
            AccessLog.log(client, request, status.code(), 0, null, 0, 0, false);
        }
    }
}

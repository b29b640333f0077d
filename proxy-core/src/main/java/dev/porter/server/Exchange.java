package dev.porter.server;

import dev.porter.close.CloseReason;
import dev.porter.close.ReuseFacts;
import dev.porter.close.UpstreamReusePolicy;
import dev.porter.config.CloseInitiator;
import dev.porter.config.NextUpstream;
import dev.porter.server.RetryPolicy.Failure;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.http.ClientResponses;
import dev.porter.http.ErrorResponses;
import dev.porter.http.KeepAliveHint;
import dev.porter.http.UpstreamRequests;
import dev.porter.upstream.KeepalivePool;
import dev.porter.upstream.PoolExhaustedException;
import dev.porter.upstream.ResponseReceiver;
import dev.porter.upstream.UpstreamConnectException;
import dev.porter.upstream.UpstreamGroup;
import dev.porter.upstream.UpstreamHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * One request and its response, from the request head to the response's last byte: picks a
 * server, acquires a pooled connection, streams the request body up and the response down
 * with backpressure, retries when that is safe, and gives the connection back to its pool
 * (or retires it) by {@link UpstreamReusePolicy}.
 *
 * <p>Retries: a request that fails on a <em>reused</em> connection before any response byte
 * (the upstream closed it while it sat idle: the keepalive race) is sent once more on a fresh
 * connection; other failures go to the next server as {@code next-upstream} allows. Either is
 * done only if the request can be replayed: nothing of it was written, or it is idempotent and
 * its body so far fits the replay buffer. A non-idempotent request that was sent is never
 * replayed.
 *
 * <p>Confined to the client connection's event loop, which is also the upstream connection's.
 */
final class Exchange implements ResponseReceiver {
    private static final Logger logger = LoggerFactory.getLogger(Exchange.class);
    /** Request body kept for a replay; past it the request cannot be retried. */
    private static final int REPLAY_LIMIT = 64 * 1024;

    private final ProxyHandler client;
    private final ChannelHandlerContext clientCtx;
    private final HttpRequest request;
    private final RouteConfig route;
    private final UpstreamGroup group;
    private final UpstreamConfig upstreamConfig;
    private final boolean idempotent;
    private final boolean bodyless;
    private final long startNanos = System.nanoTime();
    private final ArrayDeque<HttpContent> replay = new ArrayDeque<>(2);
    private final Set<KeepalivePool> tried = new HashSet<>(2);
    private boolean replayable = true;
    private int replayBytes;
    private long bodyBytes;
    private int tries;
    private boolean staleRetried;

    private KeepalivePool pool;
    private UpstreamHandler upstream;
    private boolean reusedConnection;
    private boolean headWritten;
    /** Some of the request reached the current connection's socket (the head's write succeeded). */
    private boolean requestBytesSent;
    private boolean clientRequestComplete;
    private boolean upstreamRequestComplete;
    private int pendingLastWrite;
    private boolean responseStarted;
    private boolean responseHeadSent;
    private boolean interim;
    private boolean responseComplete;
    private boolean upstreamKeepAlive;
    private boolean clientKeepAlive;
    private int status;
    private boolean done;
    private long bytesSent;
    private long acquireStartNanos;
    private long connectNanos;
    private long requestSentNanos;

    /** @param hasBody the request has a body (Content-Length above 0 or chunked), as its head says */
    Exchange(ProxyHandler client, ChannelHandlerContext clientCtx, HttpRequest request, RouteConfig route, UpstreamGroup group,
             boolean hasBody) {
        this.client = client;
        this.clientCtx = clientCtx;
        this.request = request;
        this.route = route;
        this.group = group;
        this.upstreamConfig = group.config();
        this.idempotent = isIdempotent(request.method());
        // A body-less request is complete with its head, so the upstream gets head and end
        // together in one flush.
        this.bodyless = !hasBody;
        this.clientRequestComplete = bodyless;
    }

    private static boolean isIdempotent(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.PUT)
                || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.OPTIONS) || m.equals(HttpMethod.TRACE);
    }

    void start() {
        acquire(group.pick(tried), false);
    }

    boolean requestComplete() {
        return clientRequestComplete;
    }

    /** Read more of the request body only when an upstream connection can take it. */
    boolean wantsClientInput() {
        return !done && !clientRequestComplete && upstream != null && headWritten && upstream.channel().isWritable();
    }

    private void acquire(KeepalivePool next, boolean fresh) {
        if (next == null) {
            fail(HttpResponseStatus.BAD_GATEWAY, "no live upstream server in \"" + upstreamConfig.name() + "\"");
            return;
        }
        pool = next;
        tried.add(next);
        tries++;
        acquireStartNanos = System.nanoTime();
        Future<UpstreamHandler> f = next.acquire(fresh);
        if (f.isDone()) {
            onAcquired(f);
        } else {
            f.addListener(x -> onAcquired(f));
        }
    }

    private void onAcquired(Future<UpstreamHandler> f) {
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            if (done) {
                return;
            }
            if (cause instanceof PoolExhaustedException) {
                fail(HttpResponseStatus.SERVICE_UNAVAILABLE, cause.getMessage());
                return;
            }
            boolean timeout = cause instanceof UpstreamConnectException c && c.isTimeout();
            if (!(cause instanceof UpstreamConnectException c && c.isLocal())) {
                // Out of local ports or file descriptors is Porter's host's problem, not the
                // server's: marking the server down would turn port exhaustion into an outage.
                group.failed(pool);
            }
            // Nothing was sent on a failed connect: any request may go to the next server.
            retryOrFail(timeout ? Failure.TIMEOUT : Failure.ERROR, cause.getMessage(), false, false);
            return;
        }
        UpstreamHandler h = f.getNow();
        if (done) {
            h.unbind(null);
            return;
        }
        upstream = h;
        requestSentNanos = System.nanoTime();
        connectNanos = requestSentNanos - acquireStartNanos;
        reusedConnection = h.bind(this, upstreamConfig.readTimeout());
        headWritten = false;
        requestBytesSent = false;
        responseStarted = false;
        boolean last = upstreamConfig.closeInitiator() == CloseInitiator.PEER && h.isLastRequest();
        HttpRequest head = UpstreamRequests.build(request, route, upstreamConfig.httpVersion(),
                clientCtx.channel().remoteAddress(), pool.server().name(), last);
        h.channel().write(head).addListener(written -> {
            if (written.isSuccess() && h == upstream) {
                requestBytesSent = true;
            }
        }).addListener(writeListener(h, false));
        headWritten = true;
        if (bodyless) {
            writeBody(LastHttpContent.EMPTY_LAST_CONTENT, true);
        }
        for (HttpContent c : replay) {
            writeBody(c.retainedDuplicate(), c instanceof LastHttpContent);
        }
        // Reading the client may deliver held body parts right now, outside any socket read
        // (so no channelReadComplete will flush them): flush after it.
        client.updateReading();
        flushUpstream();
    }

    /** A part of the request body from the client; this exchange owns it. */
    void onClientContent(HttpContent content) {
        if (done || bodyless) {
            // A body-less request's end was already sent with its head.
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        bodyBytes += content.content().readableBytes();
        long max = client.listener().maxBodySize();
        if (max > 0 && bodyBytes > max) {
            content.release();
            tooLarge();
            return;
        }
        if (last) {
            clientRequestComplete = true;
        }
        if (replayable) {
            if (replayBytes + content.content().readableBytes() <= REPLAY_LIMIT) {
                replayBytes += content.content().readableBytes();
                replay.add(content.retainedDuplicate());
            } else {
                dropReplay();
            }
        }
        if (upstream != null && headWritten) {
            writeBody(content, last);
        } else {
            content.release();
        }
        if (last) {
            client.updateReading();
        }
    }

    private void writeBody(HttpContent content, boolean last) {
        UpstreamHandler h = upstream;
        if (last) {
            pendingLastWrite++;
        }
        // The last part is flushed at once: it may come from the flow-control handler's queue,
        // with no read-complete event behind it to flush it.
        if (last) {
            h.channel().writeAndFlush(content).addListener(writeListener(h, true));
        } else {
            h.channel().write(content).addListener(writeListener(h, false));
        }
    }

    private ChannelFutureListener writeListener(UpstreamHandler h, boolean last) {
        return f -> {
            if (last) {
                pendingLastWrite--;
            }
            if (h != upstream) {
                return;
            }
            if (!f.isSuccess()) {
                onUpstreamError(f.cause());
            } else if (last) {
                upstreamRequestComplete = true;
                maybeReleaseUpstream();
            }
        };
    }

    void flushUpstream() {
        if (upstream != null) {
            upstream.channel().flush();
        }
    }

    @Override
    public void onResponse(HttpObject msg) {
        if (done && responseComplete) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            upstreamFailed(Failure.MALFORMED, "malformed response: " + msg.decoderResult().cause().getMessage());
            return;
        }
        if (msg instanceof HttpResponse response && !onResponseHead(response)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpContent content) {
            onResponseContent(content);
        }
    }

    /** @return false when the response is dropped because the request goes to the next server */
    private boolean onResponseHead(HttpResponse response) {
        int code = response.status().code();
        if (code >= 500 && passToNextServer(code)) {
            return false;
        }
        responseStarted = true;
        dropReplay();
        if (code < 200) {
            // 1xx is interim (RFC 9110 §15.2): relayed to HTTP/1.1 clients; the final response follows.
            interim = true;
            if (code == 101) {
                upstreamFailed(Failure.MALFORMED, "101 Switching Protocols without an Upgrade request");
                return false;
            }
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                ClientResponses.prepare(response, request.method(), request.protocolVersion(), true);
                clientCtx.write(response);
                return true;
            }
            return false;
        }
        group.succeeded(pool);
        upstream.upstreamIdleTimeout(KeepAliveHint.timeoutSeconds(response.headers()));
        status = code;
        upstreamKeepAlive = HttpUtil.isKeepAlive(response) && response.protocolVersion().equals(HttpVersion.HTTP_1_1);
        boolean wantKeepAlive = HttpUtil.isKeepAlive(request) && client.keepAliveAllowed();
        clientKeepAlive = ClientResponses.prepare(response, request.method(), request.protocolVersion(), wantKeepAlive);
        responseHeadSent = true;
        clientCtx.write(response);
        return true;
    }

    /**
     * nginx's {@code proxy_next_upstream http_502/503/504}: an idempotent request whose
     * response is such a status goes to the next server, when one is left; otherwise the
     * response is relayed as it is. The connection that gave it is closed (its body is not
     * worth reading).
     */
    private boolean passToNextServer(int code) {
        NextUpstream condition = code == 502 ? NextUpstream.HTTP_502 : code == 503 ? NextUpstream.HTTP_503
                : code == 504 ? NextUpstream.HTTP_504 : null;
        if (condition == null || !upstreamConfig.nextUpstream().contains(condition) || !idempotent || !replayable
                || tries >= upstreamConfig.effectiveTries() || !inNextUpstreamTime()) {
            return false;
        }
        KeepalivePool next = group.pick(tried);
        if (next == null) {
            return false;
        }
        logger.debug("{} {} from {}; trying {}", clientCtx.channel(), code, pool.server().name(), next.server().name());
        UpstreamHandler h = upstream;
        upstream = null;
        h.abort(CloseReason.ERROR);
        group.failed(pool);
        acquire(next, false);
        return true;
    }

    private boolean inNextUpstreamTime() {
        return upstreamConfig.nextUpstreamTimeout().isZero()
                || System.nanoTime() - startNanos < upstreamConfig.nextUpstreamTimeout().toNanos();
    }

    private void onResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (interim) {
            if (last) {
                interim = false;
            }
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                clientCtx.write(content);
            } else {
                content.release();
            }
            return;
        }
        if (!responseHeadSent) {
            content.release();
            return;
        }
        bytesSent += content.content().readableBytes();
        if (!last) {
            clientCtx.write(content);
            return;
        }
        responseComplete = true;
        if (!clientRequestComplete) {
            // The upstream answered before the whole body was sent (an early 413, say): the rest
            // of the body cannot go anywhere, so the client connection ends after this response.
            clientKeepAlive = false;
        }
        clientCtx.writeAndFlush(content);
        maybeReleaseUpstream();
        finish();
    }

    /** The response is complete: the connection goes back to its pool once the request is fully written too. */
    private void maybeReleaseUpstream() {
        UpstreamHandler h = upstream;
        if (h == null || !responseComplete) {
            return;
        }
        if (clientRequestComplete && pendingLastWrite > 0) {
            return; // the body's last write completes soon; decide then
        }
        upstream = null;
        ReuseFacts facts = new ReuseFacts(false, true, upstreamRequestComplete, upstreamKeepAlive,
                upstreamConfig.pooling(), h.requestsBefore(), upstreamConfig.keepaliveRequests(),
                h.ageNanos(), upstreamConfig.keepaliveTime().toNanos(), client.worker().shuttingDown());
        h.unbind(UpstreamReusePolicy.decide(facts).orElse(null));
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        dropReplay();
        logAccess();
        client.exchangeDone(this, clientKeepAlive, status);
    }

    private void logAccess() {
        if (AccessLog.enabled()) {
            AccessLog.log(clientCtx.channel().remoteAddress(), request, status, bytesSent,
                    pool != null ? pool.server().name() : null, connectNanos,
                    requestSentNanos > 0 ? System.nanoTime() - requestSentNanos : 0, reusedConnection);
        }
    }

    @Override
    public void onResponseReadComplete() {
        clientCtx.flush();
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        client.updateReading();
    }

    void onClientWritabilityChanged(boolean writable) {
        if (upstream != null) {
            // Stop reading the upstream while the client cannot keep up; same loop, no locking.
            upstream.channel().config().setAutoRead(writable);
        }
    }

    @Override
    public void onUpstreamClosed() {
        upstreamFailed(Failure.ERROR, "upstream closed the connection"
                + (responseStarted ? " in the middle of the response" : " before responding"));
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        upstreamFailed(Failure.ERROR, "upstream I/O error: " + cause.getMessage());
    }

    @Override
    public void onUpstreamReadTimeout() {
        upstreamFailed(Failure.TIMEOUT, "upstream timed out (read-timeout " + upstreamConfig.readTimeout().toMillis() + "ms)");
    }

    @Override
    public void onUpstreamSendTimeout() {
        upstreamFailed(Failure.TIMEOUT, "upstream took no request bytes for send-timeout "
                + upstreamConfig.sendTimeout().toMillis() + "ms");
    }

    private void upstreamFailed(Failure failure, String reason) {
        UpstreamHandler h = upstream;
        if (h == null) {
            return;
        }
        upstream = null;
        h.abort(failure == Failure.TIMEOUT ? CloseReason.TIMEOUT : CloseReason.ERROR);
        if (responseComplete || (done && !responseHeadSent)) {
            return;
        }
        if (responseHeadSent) {
            client.worker().failureLog().warn(logger, "{} {} {}: {} from {}; closing the client connection",
                    clientCtx.channel(), request.method(), request.uri(), reason, pool.server().name());
            done = true;
            dropReplay();
            logAccess();
            client.exchangeAborted(this);
            return;
        }
        if (failure != Failure.MALFORMED && !(failure == Failure.ERROR && reusedConnection && !staleRetried)) {
            group.failed(pool);
        }
        retryOrFail(failure, reason, reusedConnection, requestBytesSent);
    }

    /** Acts on {@link RetryPolicy}'s decision for a failed attempt that sent the client nothing yet. */
    private void retryOrFail(Failure failure, String reason, boolean reused, boolean sent) {
        RetryPolicy.Decision decision = RetryPolicy.decide(new RetryPolicy.Facts(failure, reused, responseStarted,
                staleRetried, replayable, idempotent, sent, upstreamConfig.nextUpstream(), tries,
                upstreamConfig.effectiveTries(), inNextUpstreamTime()));
        KeepalivePool next = decision == RetryPolicy.Decision.NEXT_SERVER ? group.pick(tried) : null;
        if (decision == RetryPolicy.Decision.RETRY_FRESH_CONNECTION) {
            staleRetried = true;
            pool.staleRetry();
            logger.debug("{} stale pooled connection to {}: {}; retrying on a fresh one", clientCtx.channel(),
                    pool.server().name(), reason);
            acquireLater(pool, true);
        } else if (next != null) {
            logger.debug("{} {}; trying {}", clientCtx.channel(), reason, next.server().name());
            acquireLater(next, false);
        } else {
            fail(statusFor(failure), reason);
        }
    }

    /**
     * A retry connects from a task of its own, once the event loop has handled every I/O event
     * of this turn. The failed connection may have been closed while handling another channel's
     * event (a write that failed on it), with its own event still waiting in this turn's epoll
     * batch; a socket opened now would get the same file descriptor number, and Netty would hand
     * it that stale event (a read on a socket still connecting: NotYetConnectedException, the
     * connect fails, a 502 from the very race the retry exists for; Netty #10411).
     */
    private void acquireLater(KeepalivePool next, boolean fresh) {
        clientCtx.executor().execute(() -> {
            if (!done) {
                acquire(next, fresh);
            }
        });
    }

    private static HttpResponseStatus statusFor(Failure failure) {
        return failure == Failure.TIMEOUT ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY;
    }

    /** Answers the client with Porter's own error response; the request never got a response upstream. */
    private void fail(HttpResponseStatus failStatus, String reason) {
        if (done) {
            return;
        }
        if (failStatus.code() >= 500) {
            // An upstream failure: something an operator can act on.
            client.worker().failureLog().warn(logger, "{} {} {} -> {}: {}", clientCtx.channel(), request.method(),
                    request.uri(), failStatus.code(), reason);
        } else {
            logger.debug("{} {} {} -> {}: {}", clientCtx.channel(), request.method(), request.uri(), failStatus.code(), reason);
        }
        UpstreamHandler h = upstream;
        if (h != null) {
            upstream = null;
            h.abort(CloseReason.ERROR);
        }
        status = failStatus.code();
        // Unread request body cannot be skipped safely: close after the error in that case.
        clientKeepAlive = clientRequestComplete && HttpUtil.isKeepAlive(request) && client.keepAliveAllowed();
        responseHeadSent = true;
        responseComplete = true;
        clientCtx.writeAndFlush(ErrorResponses.of(clientCtx.alloc(), failStatus, !clientKeepAlive));
        finish();
    }

    private void tooLarge() {
        if (responseHeadSent) {
            abortClient();
        } else {
            logger.debug("{} request body over max-body-size {}", clientCtx.channel(), client.listener().maxBodySize());
            fail(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body over max-body-size");
        }
    }

    /** The request body turned out malformed: answer {@code status} if nothing was answered yet, and end. */
    void rejectBody(HttpResponseStatus status) {
        if (responseHeadSent) {
            abortClient();
        } else {
            fail(status, "malformed request body");
        }
    }

    /** client-body-timeout passed. */
    void clientBodyTimedOut() {
        if (responseHeadSent) {
            abortClient();
        } else {
            fail(HttpResponseStatus.REQUEST_TIMEOUT, "client body timeout");
        }
    }

    private void abortClient() {
        logAccess();
        UpstreamHandler h = upstream;
        if (h != null) {
            upstream = null;
            h.abort(CloseReason.CLIENT_ABORT);
        }
        done = true;
        dropReplay();
        client.exchangeAborted(this);
    }

    /** The client connection closed before the exchange ended. */
    void onClientClosed() {
        UpstreamHandler h = upstream;
        if (h != null) {
            upstream = null;
            h.abort(CloseReason.CLIENT_ABORT);
        }
        done = true;
        dropReplay();
    }

    /** No replay from here on: a response started, the exchange ended, or the body outgrew the buffer. */
    private void dropReplay() {
        replayable = false;
        HttpContent c;
        while ((c = replay.poll()) != null) {
            c.release();
        }
    }
}

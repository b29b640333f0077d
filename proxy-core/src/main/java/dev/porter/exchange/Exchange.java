package dev.porter.exchange;

import dev.porter.close.CloseReason;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.exchange.RetryPolicy.Failure;
import dev.porter.http.MessageHead;
import dev.porter.http.UpstreamRequestHead;
import dev.porter.upstream.KeepalivePool;
import dev.porter.upstream.PoolExhaustedException;
import dev.porter.upstream.UpstreamGroup;
import dev.porter.upstream.UpstreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conducts one request and its response, from the request head to the response's last byte:
 * picks a server ({@link UpstreamTries}), makes an {@link UpstreamAttempt} on it, streams the
 * request body up ({@link RequestBody}, which keeps what a replay needs) and the response down
 * (through a {@link ResponseRelay}), and when an attempt fails before any of the response reached
 * the client, acts on {@link RetryPolicy}'s decision: try again on a fresh connection, on the
 * next server, or answer 502/504 itself. It talks to the client connection only through
 * {@link ClientSide}.
 *
 * <p>Confined to the client connection's event loop, which is also the upstream connection's.
 */
public final class Exchange implements UpstreamAttempt.Listener {
    private static final Logger logger = LoggerFactory.getLogger(Exchange.class);

    private final ClientSide client;
    private final ExchangeScope scope;
    private final MessageHead request;
    private final RouteConfig route;
    private final UpstreamConfig config;
    private final RequestBody body;
    private final ResponseRelay relay;
    private final UpstreamTries tries;
    private UpstreamAttempt attempt;
    private boolean done;

    /** @param hasBody the request has a body (Content-Length above 0 or chunked), as its head says */
    public Exchange(ClientSide client, ExchangeScope scope, MessageHead request, RouteConfig route, UpstreamGroup group,
                    boolean hasBody) {
        this.client = client;
        this.scope = scope;
        this.request = request;
        this.route = route;
        this.config = group.config();
        this.relay = new ResponseRelay(client, request);
        // A body-less request is complete with its head, so the upstream gets head and end together in one flush.
        this.body = new RequestBody(hasBody);
        this.tries = new UpstreamTries(group, RetryPolicy.idempotent(request.method()));
    }

    public void start() {
        tryOn(tries.next(), false, false);
    }

    /** Read more of the request body only when an upstream connection can take it. */
    public boolean wantsClientInput() {
        return !done && !body.complete() && attempt != null && attempt.takesBody();
    }

    /** @param retry a retry after a failed attempt, which asks for its connection once this turn's I/O events are handled */
    private void tryOn(KeepalivePool pool, boolean fresh, boolean retry) {
        if (pool == null) {
            fail(HttpResponseStatus.BAD_GATEWAY, "no live upstream server in \"" + config.name() + "\"");
            return;
        }
        tries.started(pool);
        attempt = new UpstreamAttempt(this, pool, config, request.method().equals(HttpMethod.HEAD));
        attempt.acquire(fresh, retry ? client.channel().eventLoop() : null);
    }

    @Override
    public void attemptReady(UpstreamAttempt a) {
        if (done) {
            a.giveBack();
            return;
        }
        a.sendHead(UpstreamRequestHead.write(client.channel().alloc(), request, route, config.httpVersion(),
                client.clientAddress(), a.pool().server().name(), a.lastOnConnection(), scope.tls()), body.bodyless());
        body.replayTo(a);
        // Reading the client may deliver held body parts right now, outside any socket read
        // (so no channelReadComplete will flush them): flush after it.
        client.updateReading();
        a.flush();
    }

    @Override
    public void connectFailed(UpstreamAttempt a, Throwable cause) {
        if (done) {
            return;
        }
        if (cause instanceof PoolExhaustedException) {
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, cause.getMessage());
            return;
        }
        // Nothing was sent on a failed connect: any request may go to the next server.
        retryOrFail(a, tries.connectFailed(a.pool(), cause), cause.getMessage());
    }

    /** A piece of the request body from the client, as it came; this exchange owns it. */
    public void onClientBody(ByteBuf part, boolean last) {
        if (done) {
            part.release();
            return;
        }
        body.piece(part, last, attempt);
        if (last && !body.bodyless()) {
            client.updateReading();
        }
    }

    public void flushUpstream() {
        if (attempt != null) {
            attempt.flush();
        }
    }

    @Override
    public void onResponseHead(UpstreamAttempt a, MessageHead response) {
        if (a != attempt || done) {
            return;
        }
        int code = response.status();
        if (code >= 500 && passToNextServer(a, code)) {
            return;
        }
        relay.answered();
        body.dropReplay();
        if (code == 101) {
            switchProtocols(a, response);
            return;
        }
        if (code < 200) {
            relay.interimHead(response);
            return;
        }
        tries.succeeded(a.pool());
        a.handler().upstreamIdleTimeout(response.keepAliveTimeout());
        relay.finalHead(response, request.keepAlive() && client.keepAliveAllowed());
    }

    /** A 101: the WebSocket the client asked for, and HTTP ends here ({@link WebSocketSwitch}); anything else is malformed. */
    private void switchProtocols(UpstreamAttempt a, MessageHead response) {
        String malformed = WebSocketSwitch.refusal(request, response, config);
        if (malformed != null) {
            attemptFailed(a, Failure.MALFORMED, malformed);
            return;
        }
        tries.succeeded(a.pool());
        done = true;
        UpstreamHandler upstream = a.tunnelled();
        relay.switching(response);
        WebSocketSwitch.start(this, client, request, a, upstream, config);
    }

    @Override
    public void onResponseBody(UpstreamAttempt a, ByteBuf part, boolean last) {
        if (a != attempt || (done && relay.complete())) {
            part.release();
            return;
        }
        if (relay.body(part, last)) {
            a.release(body.complete(), relay.upstreamKeepAlive(), scope.shuttingDown().getAsBoolean());
            finish();
        }
    }

    /** A 502/503/504 that next-upstream passes on to the next server, when one is left. */
    private boolean passToNextServer(UpstreamAttempt a, int code) {
        KeepalivePool next = tries.passOn(a.pool(), code, body.replayable(), client.channel());
        if (next == null) {
            return false;
        }
        // The connection that gave it is closed: its body is not worth reading.
        a.abort(CloseReason.ERROR);
        tryOn(next, false, false);
        return true;
    }

    @Override
    public void requestSent(UpstreamAttempt a) {
        if (relay.complete()) {
            a.release(body.complete(), relay.upstreamKeepAlive(), scope.shuttingDown().getAsBoolean());
        }
    }

    @Override
    public void onResponseReadComplete() {
        relay.flush();
    }

    @Override
    public void onUpstreamWritabilityChanged() {
        client.updateReading();
    }

    /** The client's writability changed: stop reading the upstream while the client cannot keep up. */
    public void onClientWritabilityChanged(boolean writable) {
        if (attempt != null) {
            attempt.readResponse(writable);
        }
    }

    @Override
    public void attemptFailed(UpstreamAttempt a, Failure failure, String reason) {
        if (a != attempt || a.detached()) {
            return;
        }
        a.abort(failure == Failure.TIMEOUT ? CloseReason.TIMEOUT : CloseReason.ERROR);
        if (relay.complete() || (done && !relay.headSent())) {
            return;
        }
        if (relay.headSent()) {
            scope.failures().warn(logger, "{} {} {}: {} from {}; closing the client connection",
                    client.channel(), request.method(), request.target(), reason, a.pool().server().name());
            cut();
            return;
        }
        tries.failed(a, failure, reason);
        retryOrFail(a, failure, reason);
    }

    /** Acts on {@link RetryPolicy}'s decision (through {@link UpstreamTries}) for a failed attempt that sent the client nothing yet. */
    private void retryOrFail(UpstreamAttempt a, Failure failure, String reason) {
        KeepalivePool next = tries.retryAfter(a, failure, reason, relay.started(), body.replayable(), client.channel());
        if (next == null) {
            fail(failure == Failure.TIMEOUT ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY, reason);
            return;
        }
        // The failed server again means a fresh connection to it (the keepalive race).
        tryOn(next, next == a.pool(), true);
    }

    /** Answers the client with Porter's own error response; no upstream response was relayed. */
    private void fail(HttpResponseStatus status, String reason) {
        if (done) {
            return;
        }
        scope.failures().answered(logger, client.channel(), request, status.code(), reason);
        if (attempt != null) {
            attempt.abort(CloseReason.ERROR);
        }
        relay.error(status, body.complete() && request.keepAlive() && client.keepAliveAllowed());
        finish();
    }

    /**
     * The client side refuses the request mid-body (over max-body-size, malformed, too slow): an
     * error with {@code status} if no response went out yet, a cut connection otherwise.
     */
    public void refuseRequest(HttpResponseStatus status, String reason) {
        if (relay.headSent()) {
            if (attempt != null) {
                attempt.abort(CloseReason.CLIENT_ABORT);
            }
            cut();
        } else {
            fail(status, reason);
        }
    }

    /** The client connection closed before the exchange ended. */
    public void onClientClosed() {
        if (attempt != null) {
            attempt.abort(CloseReason.CLIENT_ABORT);
        }
        done = true;
        body.dropReplay();
    }

    private void finish() {
        if (done) {
            return;
        }
        end();
        client.exchangeDone(this, relay.clientKeepAlive(), relay.status());
    }

    /** The response started and cannot be completed: the client must see a cut connection, not a short response. */
    private void cut() {
        end();
        client.exchangeAborted(this);
    }

    /** The exchange is over: no replay, and one access log line. */
    private void end() {
        done = true;
        body.dropReplay();
        if (AccessLog.enabled()) {
            AccessLog.log(client.clientAddress(), request, relay, attempt);
        }
    }
}

package dev.porter.exchange;

import dev.porter.close.CloseReason;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.exchange.RetryPolicy.Failure;
import dev.porter.upstream.KeepalivePool;
import dev.porter.upstream.PoolExhaustedException;
import dev.porter.upstream.UpstreamConnectException;
import dev.porter.upstream.UpstreamGroup;
import dev.porter.upstream.UpstreamHandler;
import dev.porter.client.ClientAddress;
import dev.porter.config.UpstreamHttpVersion;
import dev.porter.http.MessageHead;
import dev.porter.tunnel.Tunnel;
import dev.porter.http.UpstreamRequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * Conducts one request and its response, from the request head to the response's last byte:
 * picks a server, makes an {@link UpstreamAttempt} on it, streams the request body up (keeping
 * what a replay needs in a {@link ReplayBuffer}) and the response down (through a
 * {@link ResponseRelay}), and when an attempt fails before any of the response reached the
 * client, asks {@link RetryPolicy} whether to try again on a fresh connection, on the next
 * server, or to answer 502/504 itself. It talks to the client connection only through
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
    private final UpstreamGroup group;
    private final UpstreamConfig config;
    private final boolean idempotent;
    private final boolean bodyless;
    private final long startNanos = System.nanoTime();
    private final ReplayBuffer replay = new ReplayBuffer();
    private final ResponseRelay relay;
    private final Set<KeepalivePool> tried = new HashSet<>(2);
    private UpstreamAttempt attempt;
    private int tries;
    private boolean staleRetried;
    private long bodyBytes;
    private boolean requestComplete;
    private boolean upstreamKeepAlive;
    private boolean done;

    /** @param hasBody the request has a body (Content-Length above 0 or chunked), as its head says */
    public Exchange(ClientSide client, ExchangeScope scope, MessageHead request, RouteConfig route, UpstreamGroup group,
                    boolean hasBody) {
        this.client = client;
        this.scope = scope;
        this.request = request;
        this.route = route;
        this.group = group;
        this.config = group.config();
        this.relay = new ResponseRelay(client, request);
        this.idempotent = isIdempotent(request.method());
        // A body-less request is complete with its head, so the upstream gets head and end together in one flush.
        this.bodyless = !hasBody;
        this.requestComplete = bodyless;
    }

    private static boolean isIdempotent(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.PUT)
                || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.OPTIONS) || m.equals(HttpMethod.TRACE);
    }

    public void start() {
        tryOn(group.pick(tried), false);
    }

    /** Whether the whole request was read from the client. */
    public boolean requestComplete() {
        return requestComplete;
    }

    /** Read more of the request body only when an upstream connection can take it. */
    public boolean wantsClientInput() {
        return !done && !requestComplete && attempt != null && attempt.takesBody();
    }

    private void tryOn(KeepalivePool pool, boolean fresh) {
        if (pool == null) {
            fail(HttpResponseStatus.BAD_GATEWAY, "no live upstream server in \"" + config.name() + "\"");
            return;
        }
        tried.add(pool);
        tries++;
        attempt = new UpstreamAttempt(this, pool, config, request.method().equals(HttpMethod.HEAD));
        attempt.acquire(fresh);
    }

    @Override
    public void attemptReady(UpstreamAttempt a) {
        if (done) {
            a.giveBack();
            return;
        }
        a.sendHead(UpstreamRequestHead.write(client.channel().alloc(), request, route, config.httpVersion(),
                client.clientAddress(), a.pool().server().name(), a.lastOnConnection(), scope.tls()), bodyless);
        replay.replayTo(a);
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
        if (!(cause instanceof UpstreamConnectException c && c.isLocal())) {
            // Out of local ports or file descriptors is Porter's host's problem, not the
            // server's: marking the server down would turn port exhaustion into an outage.
            group.failed(a.pool(), cause.getMessage());
        }
        boolean timeout = cause instanceof UpstreamConnectException c && c.isTimeout();
        // Nothing was sent on a failed connect: any request may go to the next server.
        retryOrFail(a, timeout ? Failure.TIMEOUT : Failure.ERROR, cause.getMessage());
    }

    /** A piece of the request body from the client, as it came; this exchange owns it. */
    public void onClientBody(ByteBuf part, boolean last) {
        if (done || bodyless) {
            part.release();
            return;
        }
        requestComplete = last;
        replay.keep(part, last);
        if (attempt != null && attempt.sending()) {
            attempt.sendBody(part, last);
        } else {
            part.release();
        }
        if (last) {
            client.updateReading();
        }
    }

    /** The request body passed max-body-size. */
    public void bodyTooLarge() {
        refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body over max-body-size");
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
        replay.drop();
        if (code < 200) {
            if (code == 101) {
                if (!upgradeForwarded()) {
                    attemptFailed(a, Failure.MALFORMED, "101 Switching Protocols without an Upgrade request");
                } else if (!response.websocketUpgrade()) {
                    attemptFailed(a, Failure.MALFORMED, "101 Switching Protocols to something other than websocket");
                } else {
                    upgrade(a, response);
                }
            } else {
                relay.interimHead(response);
            }
            return;
        }
        group.succeeded(a.pool());
        a.handler().upstreamIdleTimeout(response.keepAliveTimeout());
        upstreamKeepAlive = response.keepAlive() && !response.isHttp10();
        relay.finalHead(response, request.keepAlive() && client.keepAliveAllowed());
    }

    /** Whether the request went upstream as a WebSocket handshake (an HTTP/1.0 upstream never gets one). */
    private boolean upgradeForwarded() {
        return request.websocketUpgrade() && config.httpVersion() == UpstreamHttpVersion.HTTP_1_1;
    }

    /**
     * The upstream switched to the WebSocket the client asked for: the 101 goes to the client
     * and the two connections become a {@link Tunnel} under the group's tunnel-timeout. The
     * exchange ends here as far as HTTP goes; its access log line is written when the tunnel
     * ends, and the request head is kept for it until then.
     */
    private void upgrade(UpstreamAttempt a, MessageHead response) {
        group.succeeded(a.pool());
        done = true;
        UpstreamHandler upstream = a.tunnelled();
        relay.switching(response);
        long toSwitchNanos = System.nanoTime() - a.sentAtNanos();
        ClientAddress who = client.clientAddress();
        String server = a.pool().server().name();
        Tunnel tunnel = new Tunnel(config.tunnelTimeout().toNanos(), new Tunnel.Listener() {
            @Override
            public void closingUpstream(Tunnel.End why) {
                upstream.tunnelClosing(why == Tunnel.End.TIMEOUT ? CloseReason.TUNNEL_TIMEOUT
                        : why == Tunnel.End.ERROR ? CloseReason.ERROR : CloseReason.TUNNEL_CLOSED);
            }

            @Override
            public void tunnelEnded(Tunnel t) {
                logger.debug("{} tunnel to {} ended: {}", client.channel(), server, t.end());
                AccessLog.logTunnel(who, request, t.bytesToClient(), server, a.connectNanos(), toSwitchNanos, a.reused(),
                        t.durationNanos(), t.bytesToUpstream());
                request.release();
                client.tunnelEnded();
            }
        });
        ByteBuf fromUpstream = upstream.becomeTunnel(tunnel.upstreamHandler());
        ByteBuf fromClient = client.exchangeUpgraded(this, tunnel.clientHandler());
        logger.debug("{} {} {}: WebSocket tunnel to {}", client.channel(), request.method(), request.target(), server);
        tunnel.start(fromUpstream, fromClient);
    }

    @Override
    public void onResponseBody(UpstreamAttempt a, ByteBuf part, boolean last) {
        if (a != attempt || (done && relay.complete())) {
            part.release();
            return;
        }
        if (relay.body(part, last, requestComplete)) {
            a.release(requestComplete, upstreamKeepAlive, scope.shuttingDown().getAsBoolean());
            finish();
        }
    }

    /** A 502/503/504 that next-upstream passes on to the next server, when one is left ({@link RetryPolicy#passOn}). */
    private boolean passToNextServer(UpstreamAttempt a, int code) {
        if (!RetryPolicy.passOn(code, config.nextUpstream(), idempotent, replay.usable(), tries, config.effectiveTries(),
                inNextUpstreamTime())) {
            return false;
        }
        KeepalivePool next = group.pick(tried);
        if (next == null) {
            return false;
        }
        logger.debug("{} {} from {}; trying {}", client.channel(), code, a.pool().server().name(), next.server().name());
        // The connection that gave it is closed: its body is not worth reading.
        a.abort(CloseReason.ERROR);
        group.failed(a.pool(), "answered " + code);
        tryOn(next, false);
        return true;
    }

    private boolean inNextUpstreamTime() {
        return config.nextUpstreamTimeout().isZero()
                || System.nanoTime() - startNanos < config.nextUpstreamTimeout().toNanos();
    }

    @Override
    public void requestSent(UpstreamAttempt a) {
        if (relay.complete()) {
            a.release(requestComplete, upstreamKeepAlive, scope.shuttingDown().getAsBoolean());
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
    public void attemptClosed(UpstreamAttempt a) {
        attemptFailed(a, Failure.ERROR, "upstream closed the connection"
                + (relay.started() ? " in the middle of the response" : " before responding"));
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
            end();
            client.exchangeAborted(this);
            return;
        }
        if (failure != Failure.MALFORMED && !(failure == Failure.ERROR && a.reused() && !staleRetried)) {
            group.failed(a.pool(), reason);
        }
        retryOrFail(a, failure, reason);
    }

    /** Acts on {@link RetryPolicy}'s decision for a failed attempt that sent the client nothing yet. */
    private void retryOrFail(UpstreamAttempt a, Failure failure, String reason) {
        RetryPolicy.Decision decision = RetryPolicy.decide(new RetryPolicy.Facts(failure, a.reused(), relay.started(),
                staleRetried, replay.usable(), idempotent, a.bytesSent(), config.nextUpstream(), tries,
                config.effectiveTries(), inNextUpstreamTime()));
        KeepalivePool next = decision == RetryPolicy.Decision.NEXT_SERVER ? group.pick(tried) : null;
        if (decision == RetryPolicy.Decision.RETRY_FRESH_CONNECTION) {
            staleRetried = true;
            a.pool().staleRetry();
            logger.debug("{} stale pooled connection to {}: {}; retrying on a fresh one", client.channel(),
                    a.pool().server().name(), reason);
            tryOn(a.pool(), true);
        } else if (next != null) {
            logger.debug("{} {}; trying {}", client.channel(), reason, next.server().name());
            tryOn(next, false);
        } else {
            fail(failure == Failure.TIMEOUT ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY, reason);
        }
    }

    /** Answers the client with Porter's own error response; no upstream response was relayed. */
    private void fail(HttpResponseStatus status, String reason) {
        if (done) {
            return;
        }
        if (status.code() >= 500) {
            // An upstream failure: something an operator can act on.
            scope.failures().warn(logger, "{} {} {} -> {}: {}", client.channel(), request.method(), request.target(),
                    status.code(), reason);
        } else {
            logger.debug("{} {} {} -> {}: {}", client.channel(), request.method(), request.target(), status.code(), reason);
        }
        if (attempt != null) {
            attempt.abort(CloseReason.ERROR);
        }
        relay.error(status, requestComplete && request.keepAlive() && client.keepAliveAllowed());
        finish();
    }

    /**
     * The request itself is refused mid-body (too large, malformed, too slow): an error if no
     * response went out yet, a cut connection otherwise.
     */
    private void refuse(HttpResponseStatus status, String reason) {
        if (relay.headSent()) {
            if (attempt != null) {
                attempt.abort(CloseReason.CLIENT_ABORT);
            }
            end();
            client.exchangeAborted(this);
        } else {
            fail(status, reason);
        }
    }

    /** The request body turned out malformed. */
    public void rejectBody(HttpResponseStatus status) {
        refuse(status, "malformed request body");
    }

    /** client-body-timeout passed. */
    public void clientBodyTimedOut() {
        refuse(HttpResponseStatus.REQUEST_TIMEOUT, "client body timeout");
    }

    /** The client connection closed before the exchange ended. */
    public void onClientClosed() {
        if (attempt != null) {
            attempt.abort(CloseReason.CLIENT_ABORT);
        }
        done = true;
        replay.drop();
    }

    private void finish() {
        if (done) {
            return;
        }
        end();
        client.exchangeDone(this, relay.clientKeepAlive(), relay.status());
    }

    /** The exchange is over: no replay, and one access log line. */
    private void end() {
        done = true;
        replay.drop();
        if (AccessLog.enabled()) {
            UpstreamAttempt a = attempt;
            AccessLog.log(client.clientAddress(), request, relay.status(), relay.bytesSent(),
                    a != null ? a.pool().server().name() : null, a != null ? a.connectNanos() : 0,
                    a != null && a.sentAtNanos() > 0 ? System.nanoTime() - a.sentAtNanos() : 0,
                    a != null && a.reused());
        }
    }
}

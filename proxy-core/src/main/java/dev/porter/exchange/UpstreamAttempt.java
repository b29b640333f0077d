package dev.porter.exchange;

import dev.porter.close.CloseReason;
import dev.porter.close.ReuseFacts;
import dev.porter.close.UpstreamReusePolicy;
import dev.porter.config.UpstreamConfig;
import dev.porter.exchange.RetryPolicy.Failure;
import dev.porter.upstream.KeepalivePool;
import dev.porter.upstream.ResponseReceiver;
import dev.porter.upstream.UpstreamHandler;
import dev.porter.http.MessageHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;


/**
 * One try of a request on one upstream server: gets a connection from the server's pool,
 * writes the request on it, relays what comes back to its {@link Listener} (the exchange), and
 * in the end gives the connection back to the pool, or retires it, by
 * {@link UpstreamReusePolicy}. An attempt that is given up ({@link #abort}) is detached first:
 * nothing it still hears (a late write result, a close) reaches the exchange.
 *
 * <p>Confined to the event loop of the client connection, which is also the upstream's.
 */
final class UpstreamAttempt implements ResponseReceiver, ChannelFutureListener {

    /** The exchange, as the attempt reports to it. */
    interface Listener {
        /** A connection is bound to the attempt: send the request. */
        void attemptReady(UpstreamAttempt attempt);

        /** No connection: the pool's cap and queue were full, or the connect failed. */
        void connectFailed(UpstreamAttempt attempt, Throwable cause);

        /** The attempt's connection failed, timed out, or sent something that is not a response. */
        void attemptFailed(UpstreamAttempt attempt, Failure failure, String reason);

        /** A response head (interim or final), valid during the call. */
        void onResponseHead(UpstreamAttempt attempt, MessageHead head);

        /** A piece of the final response's body, as it came on the wire; the listener owns it. */
        void onResponseBody(UpstreamAttempt attempt, ByteBuf part, boolean last);

        /** The end of one read burst from the upstream: time to flush toward the client. */
        void onResponseReadComplete();

        /** The request's last part reached the upstream's socket. */
        void requestSent(UpstreamAttempt attempt);

        /** The upstream connection became writable or not: read the client body, or pause. */
        void onUpstreamWritabilityChanged();
    }

    private final Listener listener;
    private final KeepalivePool pool;
    private final UpstreamConfig config;
    /** The request is a HEAD: its response has no body. */
    private final boolean headRequest;
    private UpstreamHandler handler;
    private boolean detached;
    private boolean reused;
    private boolean headWritten;
    /** Some of the request reached the connection's socket (the head's write succeeded). */
    private boolean bytesSent;
    /** The request's last part was written. */
    private boolean requestWritten;
    private int pendingLastWrites;
    /** A response head (interim or final) came on this attempt. */
    private boolean answered;
    private long acquireStartNanos;
    private long connectNanos;
    private long sentAtNanos;

    UpstreamAttempt(Listener listener, KeepalivePool pool, UpstreamConfig config, boolean headRequest) {
        this.listener = listener;
        this.pool = pool;
        this.config = config;
        this.headRequest = headRequest;
    }

    KeepalivePool pool() {
        return pool;
    }

    /**
     * Asks the pool for a connection; {@code fresh} skips the idle ones (a retry after the keepalive race).
     *
     * @param retryLoop for a retry, the event loop to ask from in a task of its own, once it has
     *                  handled every I/O event of this turn: the failed connection may have been
     *                  closed while another channel's event was handled, its own event still waiting
     *                  in this turn's epoll batch; a socket opened now could get the same file
     *                  descriptor and that stale event (Netty #10411), failing the retry. An attempt
     *                  given up meanwhile ({@link #abort}) asks for nothing. Null to ask now.
     */
    void acquire(boolean fresh, EventLoop retryLoop) {
        if (retryLoop != null) {
            retryLoop.execute(() -> {
                if (!detached) {
                    acquire(fresh, null);
                }
            });
            return;
        }
        acquireStartNanos = System.nanoTime();
        // The usual case, an idle pooled connection, costs no future.
        UpstreamHandler idle = fresh ? null : pool.pollIdle();
        if (idle != null) {
            acquired(idle);
            return;
        }
        Future<UpstreamHandler> f = pool.acquire(fresh);
        if (f.isDone()) {
            acquired(f);
        } else {
            f.addListener(x -> acquired(f));
        }
    }

    private void acquired(Future<UpstreamHandler> f) {
        if (f.isSuccess()) {
            acquired(f.getNow());
        } else if (!detached) {
            listener.connectFailed(this, f.cause());
        }
    }

    private void acquired(UpstreamHandler h) {
        if (detached) {
            h.unbind(null);
            return;
        }
        handler = h;
        sentAtNanos = System.nanoTime();
        connectNanos = sentAtNanos - acquireStartNanos;
        reused = handler.bind(this, config.readTimeout(), headRequest);
        listener.attemptReady(this);
    }

    UpstreamHandler handler() {
        return handler;
    }

    /** The connection had served requests before this one: a failure may be the keepalive race. */
    boolean reused() {
        return reused;
    }

    /** Some of the request reached the connection's socket. */
    boolean bytesSent() {
        return bytesSent;
    }

    /** Whether the request's last part was written. */
    boolean requestWritten() {
        return requestWritten;
    }

    long connectNanos() {
        return connectNanos;
    }

    long sentAtNanos() {
        return sentAtNanos;
    }

    /** Whether the request must end this connection (Connection: close), the upstream closing first. */
    boolean lastOnConnection() {
        return handler.sendsLastRequest();
    }

    /** The request head, as bytes; {@code last} when the request has no body. */
    void sendHead(ByteBuf head, boolean last) {
        headWritten = true;
        if (last) {
            pendingLastWrites++;
            handler.channel().write(head).addListener(this);
        } else {
            handler.channel().write(head).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess() && !detached) {
                    bytesSent = true;
                }
                written(f.isSuccess(), f.cause(), false);
            });
        }
    }

    /**
     * A piece of the request body, as the client sent it; the attempt owns it. Only the last
     * piece's write is listened to; a failed write of another reaches the upstream handler as an
     * exception ({@link #onUpstreamError}), as the attempt's failure.
     */
    void sendBody(ByteBuf part, boolean last) {
        Channel ch = handler.channel();
        if (last) {
            pendingLastWrites++;
            // Flushed at once: it may be a held piece replayed outside any read, with no
            // read-complete event behind it to flush it.
            ch.writeAndFlush(part).addListener(this);
        } else {
            ch.write(part, ch.voidPromise());
        }
    }

    /** The request's last write (its head, for a request without a body) is done. */
    @Override
    public void operationComplete(ChannelFuture f) {
        pendingLastWrites--;
        if (f.isSuccess() && !detached) {
            bytesSent = true;
        }
        written(f.isSuccess(), f.cause(), true);
    }

    private void written(boolean success, Throwable cause, boolean last) {
        if (detached) {
            return;
        }
        if (!success) {
            listener.attemptFailed(this, Failure.ERROR, "upstream I/O error: " + cause.getMessage());
        } else if (last) {
            requestWritten = true;
            listener.requestSent(this);
        }
    }

    void flush() {
        if (handler != null && !detached) {
            handler.channel().flush();
        }
    }

    /** Whether the request is on its way: body parts go to the connection as they come. */
    boolean sending() {
        return headWritten && !detached;
    }

    /** The exchange ended before the connection was used: back to the pool untouched. */
    void giveBack() {
        detached = true;
        handler.unbind(null);
    }

    /** Whether more of the request body can go to the upstream now. */
    boolean takesBody() {
        return handler != null && headWritten && !detached && handler.channel().isWritable();
    }

    /** Pauses or resumes reading the response while the client cannot keep up. */
    void readResponse(boolean read) {
        if (handler != null && !detached) {
            handler.channel().config().setAutoRead(read);
        }
    }

    /** Gives the attempt up: detached from the exchange, its connection closed now. */
    void abort(CloseReason reason) {
        if (detached) {
            return;
        }
        detached = true;
        if (handler != null) {
            handler.abort(reason);
        }
    }

    boolean detached() {
        return detached;
    }

    /**
     * The response switched the connection to a tunnel: the attempt lets go of it without
     * giving it back to the pool (it never returns there).
     */
    UpstreamHandler tunnelled() {
        detached = true;
        return handler;
    }

    /**
     * The response is complete: the connection goes back to its pool, or is retired, once the
     * request is written too (a response may end before its request's body did).
     *
     * @return false while the request's last write is still pending; call again from {@link Listener#requestSent}
     */
    boolean release(boolean clientRequestComplete, boolean upstreamKeepAlive, boolean shuttingDown) {
        if (detached) {
            return true;
        }
        if (clientRequestComplete && pendingLastWrites > 0) {
            return false;
        }
        detached = true;
        ReuseFacts facts = new ReuseFacts(false, true, requestWritten, upstreamKeepAlive,
                config.pooling(), shuttingDown, handler.lifetimeOver());
        handler.unbind(UpstreamReusePolicy.decide(facts).orElse(null));
        return true;
    }

    @Override
    public void onResponseHead(MessageHead head) {
        if (!detached) {
            answered = true;
            listener.onResponseHead(this, head);
        }
    }

    @Override
    public void onResponseBody(ByteBuf part, boolean last) {
        if (detached) {
            part.release();
        } else {
            listener.onResponseBody(this, part, last);
        }
    }

    @Override
    public void onResponseInvalid(String reason) {
        if (!detached) {
            listener.attemptFailed(this, Failure.MALFORMED, reason);
        }
    }

    @Override
    public void onResponseReadComplete() {
        if (!detached) {
            listener.onResponseReadComplete();
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (!detached) {
            listener.onUpstreamWritabilityChanged();
        }
    }

    @Override
    public void onUpstreamClosed() {
        if (!detached) {
            listener.attemptFailed(this, Failure.ERROR, "upstream closed the connection"
                    + (answered ? " in the middle of the response" : " before responding"));
        }
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        if (!detached) {
            listener.attemptFailed(this, Failure.ERROR, "upstream I/O error: " + cause.getMessage());
        }
    }

    @Override
    public void onUpstreamReadTimeout() {
        if (!detached) {
            listener.attemptFailed(this, Failure.TIMEOUT, "upstream timed out (read-timeout "
                    + config.readTimeout().toMillis() + "ms)");
        }
    }

    @Override
    public void onUpstreamSendTimeout() {
        if (!detached) {
            listener.attemptFailed(this, Failure.TIMEOUT, "upstream took no request bytes for send-timeout "
                    + config.sendTimeout().toMillis() + "ms");
        }
    }
}

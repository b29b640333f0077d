package dev.porter.upstream;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.close.ConnectionLifetime;
import dev.porter.close.UpstreamClosePolicy;
import dev.porter.config.CloseInitiator;
import dev.porter.timer.Deadline;
import dev.porter.transport.PendingAck;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The upstream connection's handler, last in its pipeline, built once per connection
 * ({@code [tls →] UpstreamHandler}): it hands what is read to its {@link ResponseReader}, which
 * parses responses for the exchange the connection is serving ({@link #bind}). While the
 * connection sits idle in its pool it closes it as soon as the upstream closes, sends anything,
 * or the idle timeout passes (nginx's {@code keepalive_close_handler}). It times reads while a
 * response is awaited and the upstream's intake while a request is sent, and carries out
 * {@link UpstreamClosePolicy}'s plan when the connection must end. A response that is invalid, or
 * bytes that answer no request, end the connection: it is never reused. A 101 to a WebSocket
 * handshake takes the connection out of HTTP for good ({@link #becomeTunnel}): the tunnel's
 * handler then sits in front of this one, which only accounts for the close.
 *
 * <p>Time is the event loop's ticker ({@link Deadline}), so tests drive it on virtual time.
 * Confined to the connection's event loop, which is also its pool's and its client's.
 */
public final class UpstreamHandler extends ChannelDuplexHandler {
    private static final Logger logger = LoggerFactory.getLogger(UpstreamHandler.class);
    /** Longest idle reuse of a connection whose upstream announced a sub-second idle timeout. */
    static final long SUB_SECOND_IDLE_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private ChannelHandlerContext ctx;
    private long openedAt;
    private KeepalivePool pool;
    /** This connection's own limits, drawn from its pool's ({@link ConnectionLifetime#forOneConnection}). */
    private ConnectionLifetime lifetime;
    private final ResponseReader reader = new ResponseReader(this::unexpected);
    private int requests;
    private boolean idle;
    private boolean retiring;
    /** The pool counts this connection as closing ({@link KeepalivePool#closing()}) until it is closed. */
    private boolean countedClosing;
    /** Ends with its next request (which says Connection: close), see {@link #retireAfterNextRequest}. */
    private boolean surplus;
    private CloseReason closeReason;
    /** The pending ACK was sent for the response being read ({@link #channelReadComplete}). */
    private boolean responseAcked;
    private ClosedBy closedBy;
    /** The one deadline that applies now: read timeout, idle timeout, or a close waiting for the upstream. */
    private Deadline deadline;
    /** proxy_send_timeout, armed only while the upstream takes none of the request. */
    private Deadline sendDeadline;
    private long readTimeoutNanos;
    /** From the upstream's Keep-Alive hint; 0 = none. */
    private long idleCapNanos;
    private final Runnable onReadTimeout = this::readTimedOut;
    /** The connection is a WebSocket tunnel: out of the pool for good, its bytes the tunnel's. */
    private boolean tunnel;
    private final Runnable onIdleTimeout = this::idleTimedOut;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.deadline = new Deadline(ctx.executor());
        this.sendDeadline = new Deadline(ctx.executor());
        this.openedAt = deadline.now();
    }

    void attach(KeepalivePool pool) {
        this.pool = pool;
        this.lifetime = pool.lifetime().forOneConnection(ThreadLocalRandom.current());
    }

    public Channel channel() {
        return ctx.channel();
    }

    public KeepalivePool pool() {
        return pool;
    }

    /**
     * Starts serving {@code r}: counts the request and arms the read timeout.
     *
     * @return whether the connection had served requests before (for stale-retry decisions)
     */
    public boolean bind(ResponseReceiver r, Duration readTimeout, boolean headRequest) {
        assert reader.receiver() == null;
        reader.serve(r, headRequest);
        responseAcked = false;
        boolean reused = requests > 0;
        requests++;
        pool.stats().request(reused);
        readTimeoutNanos = readTimeout.toNanos();
        deadline.arm(readTimeoutNanos, onReadTimeout);
        return reused;
    }

    /**
     * Whether the request just bound must carry {@code Connection: close}: this connection ends
     * after it (its lifetime is over, or the pool has one connection too many) and the
     * upstream, not Porter, must close it first (close-initiator = upstream, or the port budget
     * guard is engaged).
     */
    public boolean sendsLastRequest() {
        return pool.upstreamClosesFirst() && (surplus || lifetimeOver() != null);
    }

    /** Why this connection must not serve another request ({@code keepalive-requests}, {@code keepalive-time}), or null. */
    public CloseReason lifetimeOver() {
        return lifetime.over(requests, deadline.now() - openedAt);
    }

    /** The pool holds one connection too many: this one ends with its next request. */
    void retireAfterNextRequest() {
        surplus = true;
    }

    /** Ends the exchange on this connection and gives it back to its pool, or retires it. */
    public void unbind(CloseReason closeReason) {
        reader.stop();
        surplus = false;
        deadline.disarm();
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        pool.release(this, closeReason);
    }

    /** The pool hands the connection out; false when it must not be used (closing, or too old). */
    boolean takeFromPool() {
        deadline.disarm();
        idle = false;
        if (retiring || !ctx.channel().isActive()) {
            return false;
        }
        if (deadline.now() - openedAt > lifetime.maxAgeNanos()) {
            retire(CloseReason.KEEPALIVE_TIME, pool.closeInitiator());
            return false;
        }
        return true;
    }

    void idleInPool(Duration keepaliveTimeout) {
        idle = true;
        long nanos = keepaliveTimeout.toNanos();
        if (idleCapNanos > 0 && idleCapNanos < nanos) {
            nanos = idleCapNanos;
        }
        deadline.arm(nanos, onIdleTimeout);
    }

    /**
     * The upstream said how long it keeps an idle connection ({@code Keep-Alive: timeout=N}):
     * Porter stops handing this connection out a second before that (half-way for N = 1), so it
     * never sends a request on a connection the upstream is closing.
     *
     * <p>{@code timeout=0} is what Tomcat sends for any keepAliveTimeout under a second (it
     * truncates to whole seconds): the real timeout is unknown but short, so the connection is
     * reused only straight away, within {@link #SUB_SECOND_IDLE_CAP_NANOS}, which keeps pooling
     * under load and leaves no room for the race.
     */
    public void upstreamIdleTimeout(long seconds) {
        if (seconds > 0) {
            long n = TimeUnit.SECONDS.toNanos(seconds);
            idleCapNanos = seconds >= 2 ? n - TimeUnit.SECONDS.toNanos(1) : n / 2;
        } else if (seconds == 0) {
            idleCapNanos = SUB_SECOND_IDLE_CAP_NANOS;
        }
    }

    private void idleTimedOut() {
        if (idle) {
            pool.evict(this);
            retire(CloseReason.IDLE_TIMEOUT, pool.closeInitiator());
        }
    }

    /** Ends this connection as {@link UpstreamClosePolicy} plans for {@code reason} and {@code initiator}. */
    void retire(CloseReason reason, CloseInitiator initiator) {
        idle = false;
        deadline.disarm();
        if (retiring || !ctx.channel().isActive()) {
            return;
        }
        startRetiring();
        closeReason = reason;
        switch (UpstreamClosePolicy.plan(reason, initiator)) {
            case AWAIT_UPSTREAM_FIN -> deadline.arm(UpstreamClosePolicy.UPSTREAM_FIN_WAIT_NANOS, this::closeNow);
            // Out of the pool now; the upstream's own idle timeout closes it, or Porter after another keepalive-timeout.
            case LEAVE_TO_UPSTREAM -> deadline.arm(pool.config().keepaliveTimeout().toNanos(), this::closeNow);
            case RESET -> reset();
            case CLOSE -> closeNow();
        }
    }

    private void closeNow() {
        if (!ctx.channel().isActive()) {
            return;
        }
        closingFirst();
        logger.debug("{} closing upstream: {}", ctx.channel(), closeReason);
        ctx.close();
    }

    private void reset() {
        closedBy = ClosedBy.RESET;
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        logger.debug("{} resetting upstream: {}", ctx.channel(), closeReason);
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf data)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ResponseReceiver receiver = reader.receiver();
        if (reader.invalid() || retiring && receiver == null) {
            data.release();
            return;
        }
        if (receiver == null) {
            data.release();
            unexpected();
            return;
        }
        // read-timeout is a pause between two reads: push the deadline, no rescheduling.
        deadline.extend(readTimeoutNanos);
        reader.read(ctx.alloc(), data);
    }

    /** Bytes on a connection that serves no request: the upstream is confused or closing; never reuse it. */
    private void unexpected() {
        if (!retiring) {
            logger.debug("{} unexpected data from upstream connection with no request outstanding", ctx.channel());
            pool.evict(this);
            retire(CloseReason.ERROR, CloseInitiator.PROXY);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ResponseReceiver r = reader.receiver();
        if (r != null) {
            if (!responseAcked && reader.partway()) {
                // The rest of the response is still to come and Porter has nothing to send
                // this way: an upstream with Nagle's algorithm on that wrote its head and its
                // body apart holds the body until the head is acknowledged, which the kernel
                // would delay by ~40 ms. Once per response: a body that then comes in full
                // segments is acknowledged by the kernel every other segment anyway.
                responseAcked = true;
                PendingAck.sendNow(ctx.channel());
            }
            r.onResponseReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        sendDeadline.disarm();
        ResponseReceiver r = reader.receiver();
        if (r != null) {
            if (!writable) {
                // proxy_send_timeout: the upstream must take some of the request within this time.
                sendDeadline.arm(pool.config().sendTimeout().toNanos(), this::sendTimedOut);
            }
            r.onUpstreamWritabilityChanged(writable);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void sendTimedOut() {
        ResponseReceiver r = reader.receiver();
        if (r != null && !ctx.channel().isWritable()) {
            r.onUpstreamSendTimeout();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.cancel();
        sendDeadline.cancel();
        reader.closed();
        ClosedBy by = closedBy != null ? closedBy : ClosedBy.UPSTREAM;
        ResponseReceiver r = reader.receiver();
        CloseReason reason = closeReason != null ? closeReason : r != null ? CloseReason.ERROR : CloseReason.UPSTREAM_CLOSE;
        reader.stop();
        if (r != null) {
            r.onUpstreamClosed();
        }
        if (pool != null) {
            pool.onClosed(this, by, reason, tunnel, countedClosing);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ResponseReceiver r = reader.receiver();
        if (r != null) {
            r.onUpstreamError(cause);
        } else {
            logger.debug("{} error on idle upstream connection: {}", ctx.channel(), cause.toString());
            if (closeReason == null) {
                closeReason = CloseReason.ERROR;
            }
            ctx.close();
        }
    }

    private void readTimedOut() {
        ResponseReceiver r = reader.receiver();
        if (r != null) {
            r.onUpstreamReadTimeout();
        }
    }

    /**
     * The upstream answered the bound request's WebSocket handshake with 101 (called while its
     * head is being delivered): the connection leaves HTTP for good. {@code tunnelHandler} goes
     * in front of this handler, which from now on only sees the close (and accounts for it in
     * the pool, as a tunnel); no timeout of this handler applies any more, the tunnel has its own.
     * The pool counts the connection as a tunnel until it closes; it never comes back.
     *
     * @return the bytes the upstream sent right after the 101's head (the tunnel's first; the
     *         caller owns them), or null
     */
    public ByteBuf becomeTunnel(ChannelHandler tunnelHandler) {
        tunnel = true;
        reader.stop();
        deadline.cancel();
        sendDeadline.cancel();
        pool.tunnelOpened();
        ctx.pipeline().addBefore(ctx.name(), UpstreamChannelInitializer.TUNNEL, tunnelHandler);
        // Parsing stops here: what follows the head is the protocol switched to (RFC 9110 §15.2.2).
        return reader.takeRest();
    }

    /** The tunnel closes this connection (or sends its FIN) first, for {@code reason}: Porter's close, in the counts. */
    public void tunnelClosing(CloseReason reason) {
        if (closedBy == null) {
            closeReason = reason;
            closingFirst();
        }
    }

    /** Marks the connection as failed and closes it at once (errors, timeouts, aborted exchanges). */
    public void abort(CloseReason reason) {
        reader.stop();
        deadline.cancel();
        sendDeadline.cancel();
        if (closeReason == null) {
            closeReason = reason;
        }
        closingFirst();
        startRetiring();
        ctx.close();
    }

    /**
     * Porter sends this connection's first FIN (its close follows at once), so its local port
     * stays in TIME_WAIT for 60 s. The port budget guard hears of it now, not when the close
     * completes ({@code channelInactive}, a later task on the loop): the responses of one read
     * batch can retire a hundred connections before the first of those closes completes, and
     * every one of them would pass a threshold that none of them had seen reached.
     */
    private void closingFirst() {
        if (closedBy == null) {
            closedBy = ClosedBy.PROXY;
            if (pool != null && ctx.channel().isActive()) {
                pool.closingFirst();
            }
        }
    }

    /** From here on the connection only closes: its pool counts it as neither idle nor in flight. */
    private void startRetiring() {
        retiring = true;
        if (!countedClosing && !tunnel && pool != null && ctx.channel().isActive()) {
            countedClosing = true;
            pool.closing();
        }
    }
}

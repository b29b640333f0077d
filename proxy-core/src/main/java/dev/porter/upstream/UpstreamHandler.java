package dev.porter.upstream;

import dev.porter.close.CloseReason;
import dev.porter.config.CloseInitiator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an upstream connection's pipeline, built once per connection
 * ({@code codec → UpstreamHandler}): it relays responses to the exchange the connection is
 * serving ({@link #bind}), and while the connection sits idle in its pool it closes it as
 * soon as the upstream closes, sends anything, or the idle timeout passes (nginx's
 * {@code keepalive_close_handler}). It also times reads while a response is awaited.
 *
 * <p>Confined to the connection's event loop, which is also its pool's and its client's.
 */
public final class UpstreamHandler extends ChannelDuplexHandler {
    private static final Logger logger = LoggerFactory.getLogger(UpstreamHandler.class);
    /** How long to wait for the upstream's FIN after it announced that it will close. */
    private static final long UPSTREAM_FIN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Longest idle reuse of a connection whose upstream announced a sub-second idle timeout. */
    static final long SUB_SECOND_IDLE_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final long openedAt = System.nanoTime();
    private ChannelHandlerContext ctx;
    private KeepalivePool pool;
    private ResponseReceiver receiver;
    private int requests;
    private boolean idle;
    private boolean retiring;
    /** Ends with its next request (which says Connection: close), see {@link #retireAfterNextRequest}. */
    private boolean surplus;
    private CloseReason closeReason;
    private CloseInitiator closedBy;
    /**
     * The connection's one timer, for whichever deadline applies now (read timeout, idle timeout,
     * or a close that waits for the upstream's FIN). It is re-armed lazily, as Netty's
     * IdleStateHandler does: moving a deadline later only changes {@link #deadline}, and the task
     * re-checks when it runs, so a request costs no scheduling in steady state.
     */
    private ScheduledFuture<?> timer;
    private long timerAt;
    private long deadline;
    private Runnable onDeadline;
    private ScheduledFuture<?> sendTimer;
    private long readTimeoutNanos;
    /** From the upstream's Keep-Alive hint; 0 = none. */
    private long idleCapNanos;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    void attach(KeepalivePool pool) {
        this.pool = pool;
    }

    public Channel channel() {
        return ctx.channel();
    }

    public KeepalivePool pool() {
        return pool;
    }

    /** Requests sent on this connection before the current one: more than 0 means it was reused. */
    public int requestsBefore() {
        return requests;
    }

    /**
     * Starts serving {@code r}: counts the request and arms the read timeout.
     *
     * @return whether the connection had served requests before (for stale-retry decisions)
     */
    public boolean bind(ResponseReceiver r, Duration readTimeout) {
        assert receiver == null;
        receiver = r;
        boolean reused = requests > 0;
        requests++;
        pool.stats().request(reused);
        readTimeoutNanos = readTimeout.toNanos();
        arm(System.nanoTime() + readTimeoutNanos, this::readTimedOut);
        return reused;
    }

    /**
     * Whether the request just bound must carry {@code Connection: close}: this connection ends
     * after it (it reaches keepalive-requests or keepalive-time, or the pool has one connection
     * too many) and the upstream, not Porter, must close it first (close-initiator = upstream,
     * or the port budget guard is engaged).
     */
    public boolean sendsLastRequest() {
        return pool.upstreamClosesFirst() && (surplus || requests >= pool.group().keepaliveRequests()
                || System.nanoTime() - openedAt > pool.group().keepaliveTime().toNanos());
    }

    /** The pool holds one connection too many: this one ends with its next request. */
    void retireAfterNextRequest() {
        surplus = true;
    }

    /** Ends the exchange on this connection and gives it back to its pool, or retires it. */
    public void unbind(CloseReason closeReason) {
        receiver = null;
        surplus = false;
        disarm();
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        pool.release(this, closeReason);
    }

    /** Age of the connection, for the reuse policy. */
    public long ageNanos() {
        return System.nanoTime() - openedAt;
    }

    boolean takeFromPool() {
        disarm();
        idle = false;
        if (retiring || !ctx.channel().isActive()) {
            return false;
        }
        if (ageNanos() > pool.group().keepaliveTime().toNanos()) {
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
        arm(System.nanoTime() + nanos, this::idleTimedOut);
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

    /** Ends this connection the way the group's close-initiator says. */
    void retire(CloseReason reason, CloseInitiator how) {
        idle = false;
        disarm();
        if (retiring || !ctx.channel().isActive()) {
            return;
        }
        retiring = true;
        closeReason = reason;
        if (reason == CloseReason.UPSTREAM_CLOSE) {
            // The upstream announced it will close: let its FIN come first, so that
            // TIME_WAIT lands there, and close ourselves only if it does not.
            arm(System.nanoTime() + UPSTREAM_FIN_WAIT_NANOS, () -> closeNow(CloseInitiator.PROXY));
            return;
        }
        if (how == CloseInitiator.PEER && leftToUpstream(reason)) {
            // close-initiator = upstream: never send the first FIN on a healthy connection.
            // It is out of the pool now; the upstream's own idle timeout closes it. Bounded:
            // if the upstream keeps it past another keepalive-timeout, Porter closes after all.
            arm(System.nanoTime() + pool.group().keepaliveTimeout().toNanos(), () -> closeNow(CloseInitiator.PROXY));
            return;
        }
        closeNow(how == CloseInitiator.PEER ? CloseInitiator.PROXY : how);
    }

    private static boolean leftToUpstream(CloseReason reason) {
        return reason == CloseReason.IDLE_TIMEOUT || reason == CloseReason.POOL_FULL
                || reason == CloseReason.KEEPALIVE_TIME || reason == CloseReason.KEEPALIVE_REQUESTS;
    }

    private void closeNow(CloseInitiator how) {
        if (!ctx.channel().isActive()) {
            return;
        }
        closedBy = how;
        if (how == CloseInitiator.RESET) {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        }
        logger.debug("{} closing upstream: {} ({})", ctx.channel(), closeReason, how);
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (receiver != null && msg instanceof HttpObject http) {
            // read-timeout is a pause between two reads: push the deadline, no rescheduling.
            deadline = System.nanoTime() + readTimeoutNanos;
            receiver.onResponse(http);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (!retiring) {
            // Bytes on an idle connection: the upstream is confused or closing; never reuse it.
            logger.debug("{} unexpected data from idle upstream connection", ctx.channel());
            pool.evict(this);
            retire(CloseReason.ERROR, CloseInitiator.PROXY);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (receiver != null) {
            receiver.onResponseReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        if (sendTimer != null) {
            sendTimer.cancel(false);
            sendTimer = null;
        }
        if (receiver != null) {
            if (!writable) {
                // proxy_send_timeout: the upstream must take some of the request within this time.
                sendTimer = ctx.executor().schedule(this::sendTimedOut,
                        pool.group().sendTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
            receiver.onUpstreamWritabilityChanged(writable);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void sendTimedOut() {
        sendTimer = null;
        if (receiver != null && !ctx.channel().isWritable()) {
            receiver.onUpstreamSendTimeout();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        CloseInitiator by = closedBy != null ? closedBy : CloseInitiator.PEER;
        CloseReason reason = closeReason != null ? closeReason
                : receiver != null ? CloseReason.ERROR : CloseReason.UPSTREAM_CLOSE;
        ResponseReceiver r = receiver;
        receiver = null;
        if (r != null) {
            r.onUpstreamClosed();
        }
        if (pool != null) {
            pool.onClosed(this, by, reason);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ResponseReceiver r = receiver;
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
        if (receiver != null) {
            receiver.onUpstreamReadTimeout();
        }
    }

    private void arm(long at, Runnable action) {
        deadline = at;
        onDeadline = action;
        if (timer != null && timerAt - at > 0) {
            timer.cancel(false); // it would run too late for the new deadline
            timer = null;
        }
        if (timer == null) {
            scheduleAt(at);
        }
    }

    private void disarm() {
        onDeadline = null;
    }

    private void scheduleAt(long at) {
        timerAt = at;
        timer = ctx.executor().schedule(this::onTimer, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void onTimer() {
        timer = null;
        Runnable action = onDeadline;
        if (action == null) {
            return;
        }
        if (System.nanoTime() - deadline >= 0) {
            onDeadline = null;
            action.run();
        } else {
            scheduleAt(deadline);
        }
    }

    private void cancelTimer() {
        onDeadline = null;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (sendTimer != null) {
            sendTimer.cancel(false);
            sendTimer = null;
        }
    }

    /** Marks the connection as failed and closes it at once (errors, timeouts, aborted exchanges). */
    public void abort(CloseReason reason) {
        receiver = null;
        cancelTimer();
        if (closeReason == null) {
            closeReason = reason;
        }
        if (closedBy == null) {
            closedBy = CloseInitiator.PROXY;
        }
        retiring = true;
        ctx.close();
    }
}

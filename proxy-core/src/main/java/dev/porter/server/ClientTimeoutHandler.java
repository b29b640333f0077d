package dev.porter.server;

import dev.porter.config.ListenerConfig;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The client connection's one timer, whose meaning follows the exchange: waiting for a
 * request (keepalive-timeout), receiving its header block (client-header-timeout, counted
 * from its first byte and not extended by later bytes, so a slowloris cannot hold it), and
 * receiving its body (client-body-timeout between two reads). On expiry it fires a
 * {@link ClientTimeout} user event for {@link ProxyHandler}.
 *
 * <p>Sits before the codec, where it sees raw bytes:
 * {@code limits → send-timeout → timeouts → codec → flow-control → rate-limit → proxy}.
 * Confined to the channel's event loop.
 * One scheduled task at a time, re-armed lazily as Netty's IdleStateHandler does, so that
 * reads do not reschedule anything; only a mode change that brings the deadline forward
 * replaces it.
 */
final class ClientTimeoutHandler extends ChannelDuplexHandler {
    private enum Mode { NONE, AWAIT_REQUEST, HEADER, BODY }

    private final long keepaliveNanos;
    private final long headerNanos;
    private final long bodyNanos;
    private ChannelHandlerContext ctx;
    private Mode mode = Mode.NONE;
    private long deadline;
    private ScheduledFuture<?> task;
    /** When {@link #task} runs; a deadline moved before it needs a new task. */
    private long taskDeadline;

    ClientTimeoutHandler(ListenerConfig listener) {
        this.keepaliveNanos = listener.keepaliveTimeout().toNanos();
        this.headerNanos = listener.clientHeaderTimeout().toNanos();
        this.bodyNanos = listener.clientBodyTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (mode == Mode.AWAIT_REQUEST) {
            arm(Mode.HEADER, headerNanos);
        } else if (mode == Mode.BODY) {
            deadline = ctx.executor().ticker().nanoTime() + bodyNanos;
        }
        ctx.fireChannelRead(msg);
    }

    /** Between requests (and before the first one). */
    void awaitRequest() {
        arm(Mode.AWAIT_REQUEST, keepaliveNanos);
    }

    /** A request head was decoded; its body, if any, follows. */
    void requestHead(boolean bodyFollows) {
        if (bodyFollows) {
            arm(Mode.BODY, bodyNanos);
        } else {
            disarm();
        }
    }

    /**
     * The request is complete: from here the upstream's timeouts apply. The pending check, if
     * any, stays scheduled and finds nothing to do: cancelling and rescheduling on every request
     * would cost two priority-queue operations per request for nothing.
     */
    void disarm() {
        mode = Mode.NONE;
    }

    private void cancel() {
        mode = Mode.NONE;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void arm(Mode m, long nanos) {
        mode = m;
        deadline = ctx.executor().ticker().nanoTime() + nanos;
        if (m == Mode.AWAIT_REQUEST) {
            // Check no later than a header timeout from now, so that the header deadline armed by
            // the next request's first byte never needs a new task (one wakeup per idle period).
            nanos = Math.min(nanos, headerNanos);
        }
        long checkAt = ctx.executor().ticker().nanoTime() + nanos;
        if (task != null && checkAt - taskDeadline < 0) {
            // The pending check is later than the new deadline (keepalive-timeout 75s armed, then a
            // header's first byte starts client-header-timeout 60s): it would fire too late, so a
            // half-sent header would hold the connection for the longer timeout. Check sooner.
            task.cancel(false);
            task = null;
        }
        if (task == null) {
            schedule(nanos);
        }
    }

    private void schedule(long nanos) {
        taskDeadline = ctx.executor().ticker().nanoTime() + nanos;
        task = ctx.executor().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        task = null;
        if (mode == Mode.NONE || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - ctx.executor().ticker().nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        Mode expired = mode;
        mode = Mode.NONE;
        ctx.fireUserEventTriggered(switch (expired) {
            case AWAIT_REQUEST -> ClientTimeout.KEEPALIVE;
            case HEADER -> ClientTimeout.HEADER;
            default -> ClientTimeout.BODY;
        });
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}

package dev.porter.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The listener's {@code send-timeout}, with nginx's meaning ({@code send_timeout}): the
 * connection is closed when Porter has response bytes waiting for the client and the client
 * has accepted none of them for that long. A slow client that keeps taking data is never cut,
 * however long the response; one that stops reading is, and its upstream connection with it.
 *
 * <p>Netty's {@code WriteTimeoutHandler} is not used: it times each write from the moment it
 * is queued, so a write queued behind a large backlog fails even while the client drains the
 * backlog steadily. Progress is read instead from the channel's {@link ChannelOutboundBuffer}
 * (the message being written, how much of it has gone, the bytes pending), as Netty's
 * {@code IdleStateHandler} does with {@code observeOutput}. A write arms a periodic check
 * (every quarter of the timeout) if none is armed; a check that finds nothing pending stops,
 * one that finds progress notes the time, and one that finds none for the whole timeout closes
 * the connection. The timeout is thus detected between 1 and 1.25 times its value after the
 * last progress, and writes themselves cost only a field test.
 *
 * <p>Near the head of the client pipeline, where every write passes:
 * {@code [limits →] send-timeout → client}.
 * Confined to the channel's event loop.
 */
final class ClientSendTimeoutHandler extends ChannelDuplexHandler {
    private static final Logger logger = LoggerFactory.getLogger(ClientSendTimeoutHandler.class);

    private final long timeoutNanos;
    private final long periodNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> task;
    private long lastProgress;
    private Object lastMessage;
    private long lastMessageProgress;
    private long lastPending;

    ClientSendTimeoutHandler(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
        this.periodNanos = Math.max(1, timeoutNanos / 4);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (task == null && ctx.channel().isActive()) {
            // Observed after the write is queued, so that the first check compares against it.
            lastProgress = ctx.executor().ticker().nanoTime();
            observe(ctx.channel());
            task = ctx.executor().schedule(this::check, periodNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Records the outbound buffer's state; true if it changed since the last call. */
    private boolean observe(Channel ch) {
        ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
        Object message = buf != null ? buf.current() : null;
        long progress = buf != null ? buf.currentProgress() : 0;
        long pending = buf != null ? buf.totalPendingWriteBytes() : 0;
        boolean changed = message != lastMessage || progress != lastMessageProgress || pending != lastPending;
        lastMessage = message;
        lastMessageProgress = progress;
        lastPending = pending;
        return changed;
    }

    private void check() {
        task = null;
        Channel ch = ctx.channel();
        if (!ch.isActive()) {
            return;
        }
        boolean changed = observe(ch);
        long now = ctx.executor().ticker().nanoTime();
        if (lastPending == 0) {
            // Everything was handed to the kernel: nothing is waiting for the client. The next write re-arms.
            lastMessage = null;
            return;
        }
        if (changed) {
            lastProgress = now;
        } else if (now - lastProgress >= timeoutNanos) {
            logger.debug("{} send timeout: client accepted nothing of {} pending bytes", ch, lastPending);
            lastMessage = null;
            ctx.close();
            return;
        }
        task = ctx.executor().schedule(this::check, periodNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        lastMessage = null;
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

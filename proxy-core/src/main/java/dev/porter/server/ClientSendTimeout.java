package dev.porter.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
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
 * {@code IdleStateHandler} does with {@code observeOutput}. A flush that leaves bytes the
 * kernel would not take arms a periodic check (every quarter of the timeout) if none is armed;
 * a check that finds nothing pending stops, one that finds progress notes the time, and one that
 * finds none for the whole timeout closes the connection. The timeout is thus detected between 1
 * and 1.25 times its value after the last progress. A response the kernel takes whole, the usual
 * case, arms nothing at all.
 *
 * <p>Not a handler: the connection's {@link ClientTimeouts} makes one the first time a flush
 * leaves bytes waiting, and tells it of every flush. Confined to the channel's event loop.
 */
final class ClientSendTimeout {
    private static final Logger logger = LoggerFactory.getLogger(ClientSendTimeout.class);

    private final Channel channel;
    private final long timeoutNanos;
    private final long periodNanos;
    private final Runnable check = this::check;
    private ScheduledFuture<?> task;
    private long lastProgress;
    private Object lastMessage;
    private long lastMessageProgress;
    private long lastPending;

    ClientSendTimeout(Channel channel, long timeoutNanos) {
        this.channel = channel;
        this.timeoutNanos = timeoutNanos;
        this.periodNanos = Math.max(1, timeoutNanos / 4);
    }

    /**
     * A flush went down {@code ch}'s pipeline: the send timeout to keep, made now when bytes wait
     * and there was none ({@code current} null), so that a connection whose responses always went
     * out whole never has one.
     */
    static ClientSendTimeout afterFlush(ClientSendTimeout current, Channel ch, long timeoutNanos) {
        ClientSendTimeout t = current;
        if (t == null) {
            if (!pending(ch)) {
                return null;
            }
            t = new ClientSendTimeout(ch, timeoutNanos);
        }
        t.flushed();
        return t;
    }

    /** Whether bytes written to {@code ch} wait in its outbound buffer. */
    static boolean pending(Channel ch) {
        ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
        return buf != null && buf.totalPendingWriteBytes() > 0;
    }

    /** A flush went down the pipeline: if it left bytes waiting for the client, watch them. */
    void flushed() {
        if (task == null && channel.isActive() && pending(channel)) {
            // Observed now, so that the first check compares against it.
            lastProgress = channel.eventLoop().ticker().nanoTime();
            observe();
            task = channel.eventLoop().schedule(check, periodNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Records the outbound buffer's state; true if it changed since the last call. */
    private boolean observe() {
        ChannelOutboundBuffer buf = channel.unsafe().outboundBuffer();
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
        if (!channel.isActive()) {
            return;
        }
        boolean changed = observe();
        long now = channel.eventLoop().ticker().nanoTime();
        if (lastPending == 0) {
            // Everything was handed to the kernel: nothing is waiting for the client. The next flush re-arms.
            lastMessage = null;
            return;
        }
        if (changed) {
            lastProgress = now;
        } else if (now - lastProgress >= timeoutNanos) {
            logger.debug("{} send timeout: client accepted nothing of {} pending bytes", channel, lastPending);
            lastMessage = null;
            channel.close();
            return;
        }
        task = channel.eventLoop().schedule(check, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** The connection is gone. */
    void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        lastMessage = null;
    }
}

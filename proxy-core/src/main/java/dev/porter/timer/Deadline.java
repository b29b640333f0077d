package dev.porter.timer;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One deadline of one connection, on its event loop's timer, whose meaning its owner changes as
 * the connection goes through its states (waiting for a request, a header, a body, a response;
 * idle in a pool; waiting for a peer's FIN). Both legs use it: {@code ClientTimeouts} on
 * the client side, {@code UpstreamHandler} on the upstream side.
 *
 * <p>It is re-armed lazily, as Netty's {@code IdleStateHandler} does: moving the deadline later
 * ({@link #extend}) or disarming it touches two fields, and the one scheduled task re-checks
 * when it runs, so a request costs no timer-queue operation in steady state; only a deadline
 * brought forward before the pending task replaces it. Time is the executor's
 * {@link EventExecutor#ticker() ticker}, so an {@code EmbeddedChannel}'s virtual time drives it
 * in tests.
 *
 * <p>Confined to the event loop of {@code executor}.
 */
public final class Deadline {
    private final EventExecutor executor;
    private ScheduledFuture<?> task;
    /** When {@link #task} runs. */
    private long taskAt;
    private long at;
    private long checkWithin;
    private Runnable action;

    public Deadline(EventExecutor executor) {
        this.executor = executor;
    }

    /** The executor's time, in nanoseconds. */
    public long now() {
        return executor.ticker().nanoTime();
    }

    /** Runs {@code action} once, {@code delayNanos} from now, unless disarmed or re-armed first. */
    public void arm(long delayNanos, Runnable action) {
        arm(delayNanos, Long.MAX_VALUE, action);
    }

    /**
     * As {@link #arm(long, Runnable)}, waking up no later than {@code checkWithinNanos} to look
     * again: for an owner that will soon bring the deadline forward (a request's first byte
     * after a keep-alive wait starts a shorter header timeout) and wants no new task for it.
     */
    public void arm(long delayNanos, long checkWithinNanos, Runnable action) {
        long now = now();
        this.at = now + delayNanos;
        this.checkWithin = checkWithinNanos;
        this.action = action;
        long checkAt = now + Math.min(delayNanos, checkWithinNanos);
        if (task != null && checkAt - taskAt < 0) {
            // The pending task would run too late for this deadline.
            task.cancel(false);
            task = null;
        }
        if (task == null) {
            schedule(checkAt, now);
        }
    }

    /** Moves an armed deadline to {@code delayNanos} from now, without rescheduling: for a deadline that only ever moves later. */
    public void extend(long delayNanos) {
        at = now() + delayNanos;
    }

    /** Whether an action is pending. */
    public boolean armed() {
        return action != null;
    }

    /** Forgets the action; the pending task, if any, stays and finds nothing to do. */
    public void disarm() {
        action = null;
    }

    /** Forgets the action and cancels the task: the connection is gone. */
    public void cancel() {
        action = null;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void schedule(long checkAt, long now) {
        taskAt = checkAt;
        task = executor.schedule(this::check, Math.max(0, checkAt - now), TimeUnit.NANOSECONDS);
    }

    private void check() {
        task = null;
        Runnable a = action;
        if (a == null) {
            return;
        }
        long now = now();
        if (now - at < 0) {
            schedule(now + Math.min(at - now, checkWithin), now);
            return;
        }
        action = null;
        a.run();
    }
}

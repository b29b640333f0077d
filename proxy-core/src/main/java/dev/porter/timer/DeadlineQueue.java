package dev.porter.timer;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.TimeUnit;

/**
 * Deadlines of one fixed delay on one event loop (a listener's keepalive-timeout, say), for many
 * connections, served by one scheduled task. Because the delay is the same for all, the order in
 * which entries are armed is the order in which they expire: the queue is a doubly linked list of
 * the entries themselves (nginx keeps its timer nodes inside its connections the same way), so
 * arming, re-arming and disarming touch a few fields, allocate nothing, and a connection waiting
 * on a deadline holds no task of its own. The task runs at the first entry's deadline, expires
 * what is due, and reschedules itself for the next; an entry removed before then costs nothing.
 *
 * <p>Time is the executor's {@link EventExecutor#ticker() ticker}, so an {@code EmbeddedChannel}'s
 * virtual time drives it in tests. Confined to the event loop of {@code executor}.
 */
public final class DeadlineQueue {

    /** One waiting deadline: a node of at most one queue at a time. */
    public abstract static class Entry {
        private DeadlineQueue queue;
        private Entry prev;
        private Entry next;
        private long at;

        /** The deadline passed; the entry is out of its queue. */
        protected abstract void expired();

        /** Whether the entry waits in a queue. */
        public final boolean armed() {
            return queue != null;
        }

        /** Takes the entry out of its queue, if it is in one. */
        public final void disarm() {
            if (queue != null) {
                queue.unlink(this);
            }
        }
    }

    private final EventExecutor executor;
    private final long delayNanos;
    private final Runnable check = this::check;
    private Entry head;
    private Entry tail;
    /** A task is pending (it may find nothing due, and reschedules itself then). */
    private boolean scheduled;

    public DeadlineQueue(EventExecutor executor, long delayNanos) {
        this.executor = executor;
        this.delayNanos = delayNanos;
    }

    /** Arms {@code e} for this queue's delay from now, out of whatever queue it was in. */
    public void arm(Entry e) {
        e.disarm();
        e.at = executor.ticker().nanoTime() + delayNanos;
        e.queue = this;
        e.prev = tail;
        if (tail != null) {
            tail.next = e;
        } else {
            head = e;
        }
        tail = e;
        if (!scheduled) {
            scheduled = true;
            executor.schedule(check, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void unlink(Entry e) {
        if (e.prev != null) {
            e.prev.next = e.next;
        } else {
            head = e.next;
        }
        if (e.next != null) {
            e.next.prev = e.prev;
        } else {
            tail = e.prev;
        }
        e.prev = null;
        e.next = null;
        e.queue = null;
    }

    private void check() {
        scheduled = false;
        long now = executor.ticker().nanoTime();
        Entry e;
        while ((e = head) != null && now - e.at >= 0) {
            unlink(e);
            e.expired();
        }
        if (head != null && !scheduled) {
            scheduled = true;
            executor.schedule(check, head.at - now, TimeUnit.NANOSECONDS);
        }
    }
}

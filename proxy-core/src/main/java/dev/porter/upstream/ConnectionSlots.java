package dev.porter.upstream;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open connections of all workers to one server, against its {@code max-conns} (nginx's
 * {@code max_conns} with a shared zone, HAProxy's server {@code maxconn}): Tomcat counts its
 * {@code maxConnections} per server, not per Porter worker, so the cap must span the workers.
 *
 * <p>Every upstream connection holds one slot from connect until it closes (idle ones too: the
 * server holds them as much as busy ones). A worker that needs a new connection while the cap
 * is reached waits in this server's queue; a slot that frees up goes to the oldest waiter, on
 * whichever worker it is, so requests are served in arrival order across workers. Idle
 * connections of other workers are closed to make room for a waiter ({@link #register}).
 *
 * <p>Thread-safe without locks: the count is an {@link AtomicInteger}, the queue a
 * {@link ConcurrentLinkedQueue}. A slot freed while a waiter is being enqueued is never lost:
 * both sides re-run {@link #drain()} after changing their own state.
 */
public final class ConnectionSlots {
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentLinkedQueue<SlotWaiter> waiters = new ConcurrentLinkedQueue<>();
    private final List<KeepalivePool> pools = new CopyOnWriteArrayList<>();
    private volatile int limit;

    ConnectionSlots(int limit) {
        this.limit = limit;
    }

    /** Changes the cap on reload; connections already open stay. */
    void limit(int limit) {
        this.limit = limit;
        drain();
    }

    /** The cap; 0 = none. */
    public int limit() {
        return limit;
    }

    /** Connections open to the server from all workers. */
    public int open() {
        return open.get();
    }

    /** Requests of all workers waiting for a slot. */
    public int queued() {
        return queued.get();
    }

    boolean hasWaiters() {
        return queued.get() > 0;
    }

    /** Whether a new connection would have to wait. */
    boolean full() {
        int l = limit;
        return l > 0 && open.get() >= l;
    }

    /** A pool that holds connections to this server; asked to shed an idle one for a waiter. */
    void register(KeepalivePool pool) {
        pools.add(pool);
    }

    void unregister(KeepalivePool pool) {
        pools.remove(pool);
    }

    /** Takes a slot for a new connection if the cap allows. */
    boolean tryAcquire() {
        for (;;) {
            int n = open.get();
            int l = limit;
            if (l > 0 && n >= l) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** A connection holding a slot closed (or never opened). */
    void release() {
        open.decrementAndGet();
        drain();
    }

    /**
     * Queues a waiter for the next free slot, unless {@code maxQueue} are waiting already.
     *
     * @return false when the queue is full
     */
    boolean enqueue(SlotWaiter w, int maxQueue) {
        if (queued.incrementAndGet() > maxQueue) {
            queued.decrementAndGet();
            return false;
        }
        waiters.add(w);
        drain();
        if (w.isWaiting()) {
            // Idle connections elsewhere hold slots that this request could use.
            for (KeepalivePool p : pools) {
                p.shedIdleForWaiters();
            }
        }
        return true;
    }

    /** The pool closes (reload, shutdown): its waiters fail now instead of at their timeout. */
    void cancelWaitersOf(KeepalivePool pool) {
        for (SlotWaiter w : waiters) {
            if (w.pool() == pool && w.timeOut()) {
                w.promise().tryFailure(new IllegalStateException("pool closed"));
            }
        }
    }

    /** A waiter left the queue without a slot (timed out): forget it. */
    void cancelled(SlotWaiter w) {
        waiters.remove(w);
    }

    /** Called by a waiter on the way out of the waiting state, exactly once. */
    void leftQueue() {
        queued.decrementAndGet();
    }

    /**
     * The oldest waiter, when it waits in {@code pool}: that pool can hand it a connection it
     * just released, which keeps the slot where it is. Null when the oldest waits elsewhere.
     */
    SlotWaiter takeOldestIf(KeepalivePool pool) {
        for (;;) {
            SlotWaiter head = waiters.peek();
            if (head == null) {
                return null;
            }
            if (!head.isWaiting()) {
                waiters.remove(head); // granted, timed out or taken: garbage
                continue;
            }
            if (head.pool() != pool) {
                return null;
            }
            if (head.take()) {
                waiters.remove(head);
                return head;
            }
        }
    }

    /** Gives free slots to waiters, oldest first. */
    private void drain() {
        while (!waiters.isEmpty() && tryAcquire()) {
            SlotWaiter w = waiters.poll();
            if (w == null || !w.grant()) {
                // Nobody took the slot: give it back; the loop stops when the queue is empty.
                open.decrementAndGet();
            }
        }
    }
}

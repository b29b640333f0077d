package dev.porter.upstream;

import io.netty.util.concurrent.Promise;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request of one worker waiting in {@link ConnectionSlots}' queue for a slot under
 * {@code max-conns}. It leaves the waiting state exactly once, by whichever comes first: a slot
 * ({@link #grant}), a connection handed over by its own pool ({@link #take}), or its
 * queue-timeout ({@link #timeOut}). Granting happens on whatever thread freed the slot; the
 * connect itself is sent to the waiter's own event loop.
 */
final class SlotWaiter {
    private static final int WAITING = 0;
    private static final int DONE = 1;

    private final KeepalivePool pool;
    private final ConnectionSlots slots;
    private final Promise<UpstreamHandler> promise;
    private final AtomicInteger state = new AtomicInteger(WAITING);

    SlotWaiter(KeepalivePool pool, ConnectionSlots slots, Promise<UpstreamHandler> promise) {
        this.pool = pool;
        this.slots = slots;
        this.promise = promise;
    }

    KeepalivePool pool() {
        return pool;
    }

    Promise<UpstreamHandler> promise() {
        return promise;
    }

    boolean isWaiting() {
        return state.get() == WAITING;
    }

    /** A slot is this waiter's: connect on its own loop. False when it is no longer waiting. */
    boolean grant() {
        if (!leave()) {
            return false;
        }
        try {
            pool.loop().execute(() -> pool.connectWithSlot(promise));
        } catch (RejectedExecutionException shuttingDown) {
            promise.tryFailure(shuttingDown);
            slots.release();
        }
        return true;
    }

    /** Its own pool hands it a connection (which already holds a slot). */
    boolean take() {
        return leave();
    }

    /** queue-timeout passed; false when it was served first. */
    boolean timeOut() {
        if (!leave()) {
            return false;
        }
        slots.cancelled(this);
        return true;
    }

    private boolean leave() {
        if (state.compareAndSet(WAITING, DONE)) {
            slots.leftQueue();
            return true;
        }
        return false;
    }
}

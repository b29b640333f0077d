package dev.porter.upstream;

import dev.porter.config.ServerConfig;

import java.time.Instant;

/**
 * Passive health of one server, shared by every worker (nginx's {@code max_fails} /
 * {@code fail_timeout} with a shared zone): {@code max-fails} failures within
 * {@code fail-timeout} take it out for {@code fail-timeout}, so a server that one worker finds
 * dead is avoided by all of them.
 *
 * <p>The only server of its group is never taken out (nginx: "If there is only a single server
 * in a group, max_fails, fail_timeout and slow_start parameters are ignored"): there is nowhere
 * else to send its requests, so taking it out would turn one bad response into a 502 for every
 * request of the next {@code fail-timeout}. Its failures are still recorded, for /status.
 *
 * <p>Thread-safe. The hot path ({@link #isAvailable}, {@link #succeeded}) reads volatile fields
 * only; the failure path, rare by nature, takes this object's monitor for a few field writes.
 */
public final class ServerHealth {
    private int fails;
    private long windowStart;
    private volatile boolean down;
    private volatile long downUntilNanos;
    private volatile Instant downUntil;
    private volatile boolean failing;
    private volatile LastFailure lastFailure;

    /** The most recent failure: when, and what went wrong. */
    public record LastFailure(Instant at, String reason) {
    }

    /** Whether a request may go to the server now. */
    boolean isAvailable(ServerConfig server, boolean lone, long now) {
        if (!down || lone || server.maxFails() == 0) {
            return true;
        }
        if (now - downUntilNanos >= 0) {
            synchronized (this) {
                if (now - downUntilNanos >= 0) {
                    down = false;
                    downUntil = null;
                }
            }
            return !down;
        }
        return false;
    }

    /**
     * Counts a failure; the server goes out once {@code max-fails} of them fall within
     * {@code fail-timeout}, unless it is its group's only server.
     *
     * @return whether this failure took the server out
     */
    synchronized boolean failed(ServerConfig server, boolean lone, String reason, long now) {
        lastFailure = new LastFailure(Instant.now(), reason);
        failing = true;
        if (lone || server.maxFails() == 0) {
            return false;
        }
        long window = server.failTimeout().toNanos();
        if (fails == 0 || now - windowStart > window) {
            windowStart = now;
            fails = 0;
        }
        if (++fails < server.maxFails()) {
            return false;
        }
        fails = 0;
        down = true;
        downUntilNanos = now + window;
        downUntil = Instant.now().plusNanos(window);
        return true;
    }

    /** A response came: the count of failures starts over. */
    void succeeded() {
        if (failing) {
            synchronized (this) {
                fails = 0;
                failing = false;
            }
        }
    }

    /** Out now (and until {@link #downUntil()}). */
    public boolean isDown() {
        return down && System.nanoTime() - downUntilNanos < 0;
    }

    /** When the server comes back, or null when it is in. */
    public Instant downUntil() {
        return isDown() ? downUntil : null;
    }

    /** Failures counted toward max-fails in the current window. */
    public synchronized int fails() {
        return fails;
    }

    /** Null when the server never failed. */
    public LastFailure lastFailure() {
        return lastFailure;
    }
}

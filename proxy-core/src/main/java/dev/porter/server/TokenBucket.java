package dev.porter.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket for one client IP address's request rate, kept as a single number so that
 * every worker can use it with one compare-and-set and no lock: the generic cell rate
 * algorithm (GCRA, ITU-T I.371), which admits exactly what a bucket of {@code 1 + burst}
 * tokens refilled at {@code rate} tokens per second would.
 *
 * <p>Instead of a token count it keeps the <em>theoretical arrival time</em>: when the next
 * request would be due if requests came exactly at the rate. A request arriving at
 * {@code now} is admitted when that time is at most {@code burst} intervals ahead of
 * {@code now}, and then pushes it one interval further. A rejected request changes nothing,
 * so a client that keeps hammering is admitted again as soon as the rate allows, as with
 * nginx's {@code limit_req ... burst=N nodelay}.
 *
 * <p>Thread-safe: shared by the connections of one address across workers. Times are
 * {@link System#nanoTime()} values (or a test clock's), compared by difference only.
 */
final class TokenBucket {
    private final long intervalNanos;
    private final long toleranceNanos;
    private final AtomicLong theoreticalArrival;

    /**
     * @param ratePerSecond requests per second, at least 1
     * @param burst         requests allowed above the rate at once, at least 0
     * @param now           the clock's current value: the bucket starts full
     */
    TokenBucket(int ratePerSecond, int burst, long now) {
        if (ratePerSecond < 1 || burst < 0) {
            throw new IllegalArgumentException("rate " + ratePerSecond + ", burst " + burst);
        }
        this.intervalNanos = 1_000_000_000L / ratePerSecond;
        this.toleranceNanos = burst * intervalNanos;
        this.theoreticalArrival = new AtomicLong(now);
    }

    /** Takes a token if there is one; {@code false} means the request is over the rate. */
    boolean tryAcquire(long now) {
        for (;;) {
            long tat = theoreticalArrival.get();
            long base = tat - now > 0 ? tat : now;
            if (base - now > toleranceNanos) {
                return false;
            }
            if (theoreticalArrival.compareAndSet(tat, base + intervalNanos)) {
                return true;
            }
        }
    }

    /** How long until {@link #tryAcquire} would succeed again; 0 if it would now. */
    long nanosUntilToken(long now) {
        long wait = theoreticalArrival.get() - now - toleranceNanos;
        return Math.max(0, wait);
    }

    /**
     * How long after its last use a bucket is full again, and so no different from a new
     * one: state kept longer than this is state that need not be kept.
     */
    long refillNanos() {
        return toleranceNanos + intervalNanos;
    }
}

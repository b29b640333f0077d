package dev.porter.admin;

import java.time.Duration;

/**
 * When the meters' next reading of the kernel's sockets is due. Reading /proc/net/tcp costs
 * system time in proportion to every socket on the host, not just Porter's: ~2 ms per 1,000
 * sockets here, so 14,000 in TIME_WAIT (an incident, the very moment /metrics is watched) cost
 * ~30 ms a reading, on the cores the workers use. A fixed period would let that cost grow
 * with the incident; instead the gap after each reading is what keeps the readings under
 * {@link #SHARE} of one core's time, never less than {@link #MIN_GAP} and never more than
 * {@link #MAX_GAP} (the gauges must not go stale).
 *
 * <p>Not thread-safe: used by the one admin-tasks thread. Times are {@code System.nanoTime()}
 * values from the caller, so tests drive it with their own clock.
 */
final class CensusPacing {
    /** The share of one core the readings may take: 0.5%. */
    static final double SHARE = 0.005;
    static final Duration MIN_GAP = Duration.ofSeconds(5);
    static final Duration MAX_GAP = Duration.ofSeconds(60);

    private boolean taken;
    private long lastEndNanos;
    private long gapNanos = MIN_GAP.toNanos();

    /** Whether a reading is due at {@code nowNanos}; the first always is. */
    boolean due(long nowNanos) {
        return !taken || nowNanos - lastEndNanos >= gapNanos;
    }

    /** A reading ran from {@code startNanos} to {@code endNanos}: the next waits in proportion. */
    void took(long startNanos, long endNanos) {
        taken = true;
        lastEndNanos = endNanos;
        long costNanos = Math.max(0, endNanos - startNanos);
        gapNanos = Math.min(MAX_GAP.toNanos(), Math.max(MIN_GAP.toNanos(), (long) (costNanos / SHARE)));
    }
}

package dev.porter.upstream;

/**
 * Peak of a count over a recent window, kept in two buckets of half the window each (the peak
 * is the larger of the current and the previous bucket), so that a pool knows how many
 * connections a worker really needed lately without keeping a time series: {@code keepalive =
 * auto} keeps that many idle, and /status shows it to size a fixed {@code keepalive}.
 * Confined to one event loop.
 */
final class PeakTracker {
    private final long bucketNanos;
    private long bucketStart;
    private int current;
    private int previous;

    /** @param windowNanos the window the peak covers */
    PeakTracker(long windowNanos, long now) {
        this.bucketNanos = Math.max(1, windowNanos / 2);
        this.bucketStart = now;
    }

    void record(int value, long now) {
        roll(now);
        if (value > current) {
            current = value;
        }
    }

    int peak(long now) {
        roll(now);
        return Math.max(current, previous);
    }

    private void roll(long now) {
        long elapsed = now - bucketStart;
        if (elapsed >= bucketNanos) {
            previous = elapsed >= 2 * bucketNanos ? 0 : current;
            current = 0;
            bucketStart = now;
        }
    }
}

package dev.porter.upstream;

/**
 * Peak of a count over the last minute, in two 30-second buckets, so that /status can show
 * how many connections a worker really needed lately (to size {@code keepalive}) without
 * keeping a time series. Confined to one event loop.
 */
final class PeakTracker {
    private static final long BUCKET_NANOS = 30_000_000_000L;
    private long bucketStart = System.nanoTime();
    private int current;
    private int previous;

    void record(int value) {
        roll();
        if (value > current) {
            current = value;
        }
    }

    int peak() {
        roll();
        return Math.max(current, previous);
    }

    private void roll() {
        long now = System.nanoTime();
        long elapsed = now - bucketStart;
        if (elapsed >= BUCKET_NANOS) {
            previous = elapsed >= 2 * BUCKET_NANOS ? 0 : current;
            current = 0;
            bucketStart = now;
        }
    }
}

package dev.porter.bench.load;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * The outcome of one load run.
 *
 * @param elapsedNanos time the run sent requests (the duration, or less if it ended early)
 * @param timedOut     some requests were still in flight after the grace period
 */
public record LoadResult(
        long requests,
        long status2xx,
        long status3xx,
        long status4xx,
        long status5xx,
        long connects,
        Map<String, Long> connectErrors,
        Map<String, Long> ioErrors,
        Histogram latency,
        long elapsedNanos,
        boolean timedOut) {

    static LoadResult of(LoadStats s, long elapsedNanos, boolean timedOut) {
        return new LoadResult(s.requests(), s.status(2), s.status(3), s.status(4), s.status(5), s.connects(),
                s.connectErrors(), s.ioErrors(), s.latency(), elapsedNanos, timedOut);
    }

    public double requestsPerSecond() {
        return elapsedNanos == 0 ? 0 : requests * 1e9 / elapsedNanos;
    }

    /** Latency at {@code percentile} (0-100) in milliseconds; 0 without samples. */
    public double latencyMillis(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e6;
    }

    public long connectErrors(String kind) {
        return connectErrors.getOrDefault(kind, 0L);
    }
}

package dev.porter.bench.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and the latency histogram of one load run, written from every event loop of the
 * generator (adders and a concurrent histogram: no locks on the send path).
 */
public final class LoadStats {
    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final ConcurrentHistogram latency = new ConcurrentHistogram(MAX_LATENCY_NANOS, 3);
    private final LongAdder requests = new LongAdder();
    private final LongAdder[] statusClasses = new LongAdder[6];
    private final LongAdder connects = new LongAdder();
    private final Map<String, LongAdder> connectErrors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> ioErrors = new ConcurrentHashMap<>();

    public LoadStats() {
        for (int i = 0; i < statusClasses.length; i++) {
            statusClasses[i] = new LongAdder();
        }
    }

    void response(int status, long latencyNanos) {
        requests.increment();
        statusClasses[Math.max(0, Math.min(5, status / 100))].increment();
        latency.recordValue(Math.max(0, Math.min(latencyNanos, MAX_LATENCY_NANOS)));
    }

    void connected() {
        connects.increment();
    }

    void connectError(String kind) {
        connectErrors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void ioError(String kind) {
        ioErrors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** Complete responses so far (any status). */
    public long requests() {
        return requests.sum();
    }

    /** Responses whose status is in {@code hundreds}xx (e.g. 2 for 2xx). */
    public long status(int hundreds) {
        return statusClasses[hundreds].sum();
    }

    /** Connections the generator opened. */
    public long connects() {
        return connects.sum();
    }

    public Map<String, Long> connectErrors() {
        return snapshot(connectErrors);
    }

    public Map<String, Long> ioErrors() {
        return snapshot(ioErrors);
    }

    /** A copy of the latency histogram, in nanoseconds. */
    public Histogram latency() {
        return latency.copy();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> copy = new TreeMap<>();
        m.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}

package dev.porter.bench.tcp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples TIME_WAIT by side, and the request counter, every {@code interval} on its own
 * daemon thread, from {@link #start()} to {@link #close()}; one more sample is taken at
 * close so the timeline ends with the state after the load.
 *
 * <p>The timeline is only appended to by the sampling thread and read after close.
 */
public final class TimeWaitSampler implements AutoCloseable {
    private final TcpTable table;
    private final TimeWaitClassifier classifier;
    private final LongSupplier requests;
    private final long intervalMillis;
    private final List<TimelinePoint> timeline = new ArrayList<>();
    private ScheduledExecutorService timer;
    private long startNanos;

    public TimeWaitSampler(TcpTable table, TimeWaitClassifier classifier, LongSupplier requests, long intervalMillis) {
        this.table = table;
        this.classifier = classifier;
        this.requests = requests;
        this.intervalMillis = intervalMillis;
    }

    public void start() {
        startNanos = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "timewait-sampler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void sample() {
        double t = (System.nanoTime() - startNanos) / 1e9;
        long done = requests.getAsLong();
        try {
            TimeWaitCounts c = classifier.classify(table.read());
            timeline.add(new TimelinePoint(t, done, c.proxySide(), c.upstreamSide(), c.clientLeg()));
        } catch (IOException | RuntimeException e) {
            timeline.add(new TimelinePoint(t, done, null, null, null));
        }
    }

    /** Stops sampling after a last sample; returns the timeline. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
            sample();
        }
    }

    /** The samples so far, oldest first. */
    public synchronized List<TimelinePoint> timeline() {
        return List.copyOf(timeline);
    }

    /** Largest value of one side over the timeline; null if no sample could read the table. */
    public static Integer max(List<TimelinePoint> timeline, java.util.function.Function<TimelinePoint, Integer> side) {
        Integer max = null;
        for (TimelinePoint p : timeline) {
            Integer v = side.apply(p);
            if (v != null && (max == null || v > max)) {
                max = v;
            }
        }
        return max;
    }
}

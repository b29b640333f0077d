package dev.porter.observe;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's collections as meters read when scraped: per collector, how many and how long in all,
 * as {@code jvm_gc_pause_seconds_count} and {@code jvm_gc_pause_seconds_sum} with a {@code gc}
 * tag (the collector's name: {@code Copy} and {@code MarkSweepCompact} with the serial collector).
 *
 * <p>Written instead of Micrometer's {@code JvmGcMetrics}, which subscribes to the JMX
 * notification of every collection: the JVM then builds a {@code GcInfo} (memory usage maps, in
 * composite data) on its notification thread after each one, ~0.65 ms of CPU on the worker's core
 * right after the pause itself, five times a second at 35k requests/s. Without it Porter's p99 at
 * 50 connections was 16–20% lower (lower in 20 of 24 alternating pairs of runs)
 * (docs/bench/2026-12-03-gc-notifications). What is given up: the per-pause maximum and
 * histogram, the {@code action} and {@code cause} tags, and the allocation and promotion
 * counters that only notifications carry.
 */
public final class JvmGcMeters implements MeterBinder {

    private final List<GarbageCollectorMXBean> collectors;

    public JvmGcMeters() {
        this(ManagementFactory.getGarbageCollectorMXBeans());
    }

    JvmGcMeters(List<GarbageCollectorMXBean> collectors) {
        this.collectors = List.copyOf(collectors);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (GarbageCollectorMXBean collector : collectors) {
            FunctionTimer.builder("jvm.gc.pause", collector,
                            c -> Math.max(0, c.getCollectionCount()),
                            c -> Math.max(0, c.getCollectionTime()), TimeUnit.MILLISECONDS)
                    .tag("gc", collector.getName())
                    .description("Collections by this collector, and their time (stop-the-world for the serial collector)")
                    .register(registry);
        }
    }
}

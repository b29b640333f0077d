package dev.porter.observe;

import dev.porter.metrics.PoolSizingAdvisor;
import dev.porter.metrics.SizingAdvice;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The meters of the pool sizing advice, per server over all workers. Part of {@link PorterMeters}.
 *
 * <p>{@link #record} is called from one thread; the meters read the latest advice from any.
 */
final class SizingMeters {
    private final MeterRegistry registry;
    private final AtomicReference<Map<ServerKey, SizingAdvice>> sizing = new AtomicReference<>(Map.of());
    private final RegisteredMeters meters;

    SizingMeters(MeterRegistry registry) {
        this.registry = registry;
        this.meters = new RegisteredMeters(registry);
    }

    /** Swaps in the latest sizing advice and registers meters for servers seen for the first time. */
    void record(List<SizingAdvice> advice) {
        Map<ServerKey, SizingAdvice> byServer = new HashMap<>();
        for (SizingAdvice a : advice) {
            byServer.put(new ServerKey(a.upstream(), a.server()), a);
        }
        sizing.set(Map.copyOf(byServer));
        for (ServerKey key : byServer.keySet()) {
            meters.ensure(key, () -> sizingMeters(key));
        }
        meters.retain(new HashSet<>(byServer.keySet()));
    }

    private List<Meter> sizingMeters(ServerKey key) {
        Tags tags = key.tags();
        return List.of(
                sizingGauge("porter.upstream.peak.active.per.worker",
                        "Most requests in flight to the server from one worker in the last minute.",
                        tags, key, SizingAdvice::peakActivePerWorker),
                sizingGauge("porter.upstream.keepalive",
                        "Idle connections cached per worker: the configured number, or with keepalive = auto the largest target.",
                        tags, key, SizingAdvice::keepalive),
                sizingGauge("porter.upstream.recommended.keepalive",
                        "A keepalive that would hold the peak per worker; 0 when the configured one does.",
                        tags, key, SizingAdvice::recommendedKeepalive),
                sizingGauge("porter.upstream.churn.per.1000.requests",
                        "Upstream connections opened per 1,000 requests in the last "
                                + PoolSizingAdvisor.WINDOW.toSeconds() + " s window.",
                        tags, key, SizingAdvice::churnPer1000));
    }

    private Gauge sizingGauge(String name, String help, Tags tags, ServerKey key, ToDoubleFunction<SizingAdvice> f) {
        return Gauge.builder(name, sizing, ref -> {
            SizingAdvice a = ref.get().get(key);
            return a == null ? Double.NaN : f.applyAsDouble(a);
        }).description(help).tags(tags).register(registry);
    }
}

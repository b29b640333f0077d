package dev.porter.observe;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class JvmGcMetersTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void close() {
        registry.close();
    }

    /** A collector that reports what it is given; -1 is the MXBean's "undefined". */
    private static GarbageCollectorMXBean collector(String name, long count, long millis) {
        return (GarbageCollectorMXBean) Proxy.newProxyInstance(JvmGcMetersTest.class.getClassLoader(),
                new Class<?>[] {GarbageCollectorMXBean.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "getCollectionCount" -> count;
                    case "getCollectionTime" -> millis;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void eachCollectorIsAPauseCountAndSumTaggedWithItsName() {
        new JvmGcMeters(List.of(collector("Copy", 7, 1500), collector("MarkSweepCompact", -1, -1))).bindTo(registry);

        FunctionTimer young = registry.get("jvm.gc.pause").tag("gc", "Copy").functionTimer();
        assertThat(young.count()).isEqualTo(7);
        assertThat(young.totalTime(TimeUnit.SECONDS)).isEqualTo(1.5);
        FunctionTimer undefined = registry.get("jvm.gc.pause").tag("gc", "MarkSweepCompact").functionTimer();
        assertThat(undefined.count()).as("undefined reads as none, never negative").isZero();
        assertThat(registry.scrape())
                .contains("jvm_gc_pause_seconds_count{gc=\"Copy\"} 7")
                .contains("jvm_gc_pause_seconds_sum{gc=\"Copy\"} 1.5");
    }

    @Test
    void theMetersReadTheJvmsCollectorsWhenScraped() {
        new JvmGcMeters().bindTo(registry);
        double before = totalCount();

        System.gc();

        assertThat(registry.get("jvm.gc.pause").functionTimers())
                .hasSize(ManagementFactory.getGarbageCollectorMXBeans().size());
        assertThat(totalCount()).isGreaterThan(before);
    }

    private double totalCount() {
        return registry.get("jvm.gc.pause").functionTimers().stream().mapToDouble(FunctionTimer::count).sum();
    }
}

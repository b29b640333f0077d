package dev.porter.admin;

import dev.porter.Porter;
import dev.porter.metrics.StatusSnapshot;
import dev.porter.observe.CauseChain;
import dev.porter.observe.JvmGcMeters;
import dev.porter.observe.PorterMeters;
import dev.porter.observe.TcpReading;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code GET /metrics}: Porter's meters and the JVM's, read when they are scraped. Nothing runs
 * between scrapes: the workers' counters ({@code Porter.status()}, one task per worker), the
 * pool sizing advice and the kernel's view of the sockets ({@code Porter.tcpCensus()}, blocking
 * /proc reads, paced by {@link CensusPacing}) are gathered for each scrape, which then sees them
 * as they are, not as a timer last found them.
 *
 * <p>Why not a refresh on a timer: a Porter that nobody scrapes then did that work every second
 * for nothing, on the cores its workers use (the refresh's code was still being compiled at 60 s
 * of steady load: docs/bench/2026-12-03-tail). And why the registry is made on the first scrape:
 * Micrometer's Prometheus registry, the JVM's management beans and their objects are ~3 MiB of
 * resident memory that a Porter nobody scrapes does not need (docs/bench/2026-12-03-scrape). The
 * counters are the workers' own, kept since start, so a registry made late still reports totals
 * since start; the JVM's collection counts are the JVM's, also since start.
 *
 * <p>Thread-safety: {@link #scrape()} may be called from any thread; everything it reads or
 * makes (the registry, the meters' bookkeeping, the census pacing) is confined to the one
 * admin-tasks thread, so two scrapes never overlap there.
 */
public final class ScrapedMetrics {
    private static final Logger logger = LoggerFactory.getLogger(ScrapedMetrics.class);

    private final Porter porter;
    private final Executor adminTasks;
    private final CensusPacing censusPacing = new CensusPacing();
    /** Made by the first scrape; admin-tasks thread only. */
    private Registry registry;

    /** @param adminTasks the one thread scrapes are gathered and written on */
    public ScrapedMetrics(Porter porter, Executor adminTasks) {
        this.porter = porter;
        this.adminTasks = adminTasks;
    }

    /**
     * The Prometheus exposition as of now. Completes on the admin-tasks thread; when the workers
     * cannot answer (they are stopping), with their last recorded counters.
     */
    public CompletionStage<String> scrape() {
        return workersStatus().handleAsync((snapshot, error) -> {
            Registry r = registry();
            if (error != null) {
                logger.debug("metrics snapshot failed: {}", CauseChain.describe(error));
            } else {
                try {
                    r.meters.record(snapshot);
                } catch (RuntimeException e) {
                    // Scrape what was recorded before rather than fail the scrape.
                    logger.debug("metrics snapshot not recorded: {}", CauseChain.describe(e));
                }
            }
            r.meters.record(porter.sizingAdvice());
            long start = System.nanoTime();
            if (censusPacing.due(start)) {
                // The census is matched to the servers of the configuration it was taken with.
                r.meters.record(TcpReading.take(porter::tcpCensus), porter.config());
                censusPacing.took(start, System.nanoTime());
            }
            return r.scrape();
        }, adminTasks);
    }

    private CompletableFuture<StatusSnapshot> workersStatus() {
        try {
            return porter.status();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Registry registry() {
        if (registry == null) {
            registry = Registry.create();
        }
        return registry;
    }

    /**
     * The registry and its meters. A class of its own so that loading {@link ScrapedMetrics} at
     * start does not load Micrometer's registry: the verifier loads the classes a method passes
     * where a supertype is expected, and only this class does that.
     */
    private record Registry(PrometheusMeterRegistry prometheus, PorterMeters meters) {
        static Registry create() {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            // None of these holds a thread, a listener or a file: the registry needs no closing.
            new JvmMemoryMetrics().bindTo(prometheus);
            new JvmThreadMetrics().bindTo(prometheus);
            new ProcessorMetrics().bindTo(prometheus);
            new UptimeMetrics().bindTo(prometheus);
            new JvmGcMeters().bindTo(prometheus);
            return new Registry(prometheus, new PorterMeters(prometheus));
        }

        String scrape() {
            return prometheus.scrape();
        }
    }
}

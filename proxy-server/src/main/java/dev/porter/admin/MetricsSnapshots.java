package dev.porter.admin;

import dev.porter.Porter;
import dev.porter.metrics.StatusSnapshot;
import dev.porter.observe.CauseChain;
import dev.porter.observe.PorterMeters;
import dev.porter.observe.TcpReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;

/**
 * Feeds {@link PorterMeters} every second (the kernel's view every 5 s, less often when reading
 * it gets expensive: {@link CensusPacing}), so that
 * {@code GET /metrics} is a plain registry scrape on the admin loop: the workers' counters
 * ({@code Porter.status()}, one task per worker, completing later), the latest pool sizing
 * advice, and the kernel's view of the sockets ({@code Porter.tcpCensus()}, blocking /proc
 * reads). Process glue beside the admin listener: the views and meters themselves are
 * proxy-core's ({@code dev.porter.observe}).
 *
 * <p>Thread-safety: {@link #refresh()} runs on the admin-tasks thread, and the status stage is
 * handed back to that thread before it is recorded, so {@link PorterMeters}'s {@code record}
 * methods always run there; scrapes read what they recorded through atomic references.
 */
public final class MetricsSnapshots {
    private static final Logger logger = LoggerFactory.getLogger(MetricsSnapshots.class);

    private final Porter porter;
    private final PorterMeters meters;
    private final Executor adminTasks;
    private final CensusPacing censusPacing = new CensusPacing();

    /** @param adminTasks the thread {@link #refresh()} is scheduled on */
    public MetricsSnapshots(Porter porter, PorterMeters meters, Executor adminTasks) {
        this.porter = porter;
        this.meters = meters;
        this.adminTasks = adminTasks;
    }

    /** Takes new snapshots; scheduled every second on the admin-tasks thread. */
    public void refresh() {
        try {
            porter.status().whenCompleteAsync(this::recordStatus, adminTasks);
            meters.record(porter.sizingAdvice());
            long start = System.nanoTime();
            if (censusPacing.due(start)) {
                // Reading /proc/net/tcp costs CPU in proportion to the host's sockets (tens of
                // thousands in TIME_WAIT during an incident), on the cores the workers use: the
                // pacing keeps it a small share of a core. /status still reads it fresh on each
                // request. The census is matched to the servers of the configuration it was taken with.
                meters.record(TcpReading.take(porter::tcpCensus), porter.config());
                censusPacing.took(start, System.nanoTime());
            }
        } catch (RuntimeException e) {
            // Workers are stopping: keep the last values rather than kill the scheduled refresh.
            logger.debug("metrics refresh failed: {}", CauseChain.describe(e));
        }
    }

    private void recordStatus(StatusSnapshot snapshot, Throwable error) {
        if (error != null) {
            logger.debug("metrics snapshot failed: {}", CauseChain.describe(error));
            return;
        }
        try {
            meters.record(snapshot);
        } catch (RuntimeException e) {
            logger.debug("metrics snapshot not recorded: {}", CauseChain.describe(e));
        }
    }
}

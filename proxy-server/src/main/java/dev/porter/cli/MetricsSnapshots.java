package dev.porter.cli;

import dev.porter.metrics.StatusSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The latest worker counters, in Prometheus text, for {@code GET /metrics}.
 *
 * <p>Gathering counters means a task on every worker ({@code Porter.status()}), which completes
 * later; {@code /metrics} answers synchronously on the admin loop. So a background thread
 * refreshes the text every second and the admin loop only reads the last one.
 *
 * <p>Thread-safety: {@link #refresh()} runs on the admin-tasks thread, the stage completes on a
 * worker, {@link #text()} runs on the admin loop; they meet in one {@link AtomicReference}.
 */
final class MetricsSnapshots {
    private static final Logger logger = LoggerFactory.getLogger(MetricsSnapshots.class);

    private final Supplier<? extends CompletionStage<StatusSnapshot>> status;
    private final AtomicReference<String> latest = new AtomicReference<>("");

    MetricsSnapshots(Supplier<? extends CompletionStage<StatusSnapshot>> status) {
        this.status = status;
    }

    void refresh() {
        try {
            status.get().whenComplete((snapshot, error) -> {
                if (error != null) {
                    logger.debug("metrics snapshot failed: {}", StartupException.describe(error));
                } else {
                    latest.set(PrometheusText.format(snapshot));
                }
            });
        } catch (RuntimeException e) {
            // Workers are stopping: keep the last text rather than kill the scheduled refresh.
            logger.debug("metrics snapshot failed: {}", StartupException.describe(e));
        }
    }

    String text() {
        return latest.get();
    }
}

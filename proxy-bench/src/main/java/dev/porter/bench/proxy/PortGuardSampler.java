package dev.porter.bench.proxy;

import dev.porter.bench.report.GuardPoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads Porter's port budget guard from its admin {@code GET /status} every {@code interval}
 * while a mode's load runs, on its own daemon thread (the request blocks; nothing else waits
 * for it). A reading that fails is skipped: the guard is then unknown for that instant, not
 * disengaged. {@link #threshold()} keeps what the last reading said.
 *
 * <p>Readings are appended by the sampling thread only and read after {@link #close()}.
 */
public final class PortGuardSampler implements AutoCloseable {
    private final URI status;
    private final long intervalMillis;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<GuardPoint> points = new ArrayList<>();
    private String threshold;
    private ScheduledExecutorService timer;
    private long startNanos;

    public PortGuardSampler(InetSocketAddress admin, long intervalMillis) {
        this.status = URI.create("http://" + PorterConfigWriter.hostPort(admin) + "/status");
        this.intervalMillis = intervalMillis;
    }

    public void start() {
        startNanos = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "port-guard-sampler");
            t.setDaemon(true);
            return t;
        });
        // fixed delay: a slow /status (it reads the kernel's socket table) must not pile up requests
        timer.scheduleWithFixedDelay(this::sample, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        double t = (System.nanoTime() - startNanos) / 1e9;
        try {
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                return;
            }
            AdminStatus.PortGuard g = AdminStatus.portGuard(resp.body());
            if (g != null) {
                synchronized (this) {
                    points.add(new GuardPoint(t, g.engaged(), g.portsHeld(), g.portBudget()));
                    threshold = g.threshold();
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown for this instant; the next reading may succeed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sampling; waits briefly for a reading in progress. */
    @Override
    public void close() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            timer = null;
        }
    }

    /** The readings so far, oldest first. */
    public synchronized List<GuardPoint> points() {
        return List.copyOf(points);
    }

    /** The threshold the last reading reported ({@code "50%"}, {@code "off"}), or null without readings. */
    public synchronized String threshold() {
        return threshold;
    }
}

package dev.porter.admin;

import dev.porter.Porter;
import dev.porter.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} gathered at the scrape: a real Porter (one worker, an upstream that refuses,
 * so every request is a 502), scraped through {@link ScrapedMetrics} with no timer anywhere.
 */
class ScrapedMetricsTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final ExecutorService adminTasks = Executors.newSingleThreadExecutor();
    private final Porter porter = Porter.start(ConfigLoader.parse("""
            porter {
              workers = 1
              listeners = [ { address = "127.0.0.1:0" } ]
              upstreams { app { servers = [ { address = "127.0.0.1:9" } ] } }
              routes = [ { path-prefix = "/", upstream = app } ]
            }
            """, "test"));
    private final ScrapedMetrics metrics = new ScrapedMetrics(porter, adminTasks);

    @AfterEach
    void stop() throws InterruptedException {
        porter.close();
        adminTasks.shutdownNow();
        adminTasks.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void request() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + porter.listenAddresses().get(0).getPort() + "/");
        assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(502);
    }

    private String scrape() throws Exception {
        return metrics.scrape().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void eachScrapeCountsTheRequestsAnsweredBeforeIt() throws Exception {
        for (int i = 0; i < 3; i++) {
            request();
        }
        assertThat(scrape()).contains("porter_client_requests_total{worker=\"0\"} 3.0")
                .contains("jvm_memory_used_bytes").contains("jvm_gc_pause_seconds_count{gc=")
                .contains("porter_tcp_census_available");

        request();
        // At once, not after a refresh period: the scrape itself asked the worker.
        assertThat(scrape()).contains("porter_client_requests_total{worker=\"0\"} 4.0");
    }

    @Test
    void aScrapeAfterTheWorkersStoppedServesTheirLastCounters() throws Exception {
        request();
        request();
        assertThat(scrape()).contains("porter_client_requests_total{worker=\"0\"} 2.0");

        porter.close();

        assertThat(scrape()).contains("porter_client_requests_total{worker=\"0\"} 2.0");
    }
}

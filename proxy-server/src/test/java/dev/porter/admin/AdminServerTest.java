package dev.porter.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class AdminServerTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<Supplier<CompletionStage<String>>> reload =
            new AtomicReference<>(() -> CompletableFuture.completedFuture("reloaded"));
    private final AtomicReference<Supplier<CompletionStage<String>>> metrics = new AtomicReference<>(
            () -> CompletableFuture.completedFuture("# TYPE porter_requests_total counter\nporter_requests_total 42.0\n"));
    private final CompletableFuture<Object> status = new CompletableFuture<>();
    private AdminServer admin;
    private InetSocketAddress bound;

    private void start() {
        admin = new AdminServer(new InetSocketAddress("127.0.0.1", 0),
                () -> status,
                () -> metrics.get().get(),
                () -> reload.get().get());
        bound = admin.start();
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bound.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bindsAnEphemeralPortWhenAskedForPortZero() {
        start();
        assertThat(bound.getPort()).isPositive();
    }

    @Test
    void statusIsTheSuppliersObjectAsPrettyJsonOnceItsFutureCompletes() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return send("GET", "/status");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The response waits for the future, without holding the event loop: metrics still answer.
        assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
        assertThat(pending).isNotDone();
        status.complete(Map.of("workers", 4, "listeners", List.of("127.0.0.1:8000")));

        HttpResponse<String> response = pending.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(response.body()).contains("\"workers\" : 4").contains("\"127.0.0.1:8000\"").contains("\n  ");
    }

    /** A member that a document leaves out with null, as the status totals leave out {@code worker}. */
    record Counts(Integer worker, long requests, Map<String, Long> byCode) {
    }

    @Test
    void statusLeavesNullMembersOutButKeepsMapEntriesAsTheyAre() throws Exception {
        start();
        Map<String, Long> byCode = new java.util.LinkedHashMap<>();
        byCode.put("2xx", 7L);
        byCode.put("5xx", null);
        status.complete(new Counts(null, 7, byCode));

        HttpResponse<String> response = send("GET", "/status");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("worker").contains("\"requests\" : 7").contains("\"5xx\" : null");
    }

    @Test
    void statusFailureIsA500WithTheMessage() throws Exception {
        start();
        status.completeExceptionally(new IllegalStateException("workers did not answer"));

        HttpResponse<String> response = send("GET", "/status");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("workers did not answer\n");
    }

    @Test
    void metricsIsPrometheusText() throws Exception {
        start();
        HttpResponse<String> response = send("GET", "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("porter_requests_total 42.0");
    }

    @Test
    void metricsThatCannotBeGatheredAre500WithTheReason() throws Exception {
        start();
        metrics.set(() -> CompletableFuture.failedFuture(new IllegalStateException("workers did not answer")));
        HttpResponse<String> response = send("GET", "/metrics");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("workers did not answer\n");
    }

    @Test
    void unknownPathIs404() throws Exception {
        start();
        assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        start();
        HttpResponse<String> response = send("POST", "/status");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("GET");
        assertThat(send("GET", "/reload").statusCode()).isEqualTo(405);
    }

    @Test
    void reloadSuccessIs200WithTheText() throws Exception {
        start();
        HttpResponse<String> response = send("POST", "/reload");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("reloaded\n");
    }

    @Test
    void reloadFailureIs400WithTheErrorText() throws Exception {
        start();
        reload.set(() -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalArgumentException("porter.conf: 3: porter.workers: must be auto or a number");
        }));
        HttpResponse<String> response = send("POST", "/reload");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("porter.conf: 3: porter.workers: must be auto or a number\n");
    }

    @Test
    void reloadThatThrowsBeforeReturningAFutureIsAlso400() throws Exception {
        start();
        reload.set(() -> {
            throw new IllegalStateException("busy");
        });
        HttpResponse<String> response = send("POST", "/reload");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("busy\n");
    }

    @Test
    void keepAliveConnectionServesSeveralRequests() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
            assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void bindFailureNamesTheAddress() {
        start();
        AdminServer second = new AdminServer(bound, () -> status, () -> metrics.get().get(), () -> reload.get().get());
        try {
            second.start();
            throw new AssertionError("bound twice");
        } catch (java.io.UncheckedIOException e) {
            assertThat(e.getCause().getMessage()).contains("127.0.0.1:" + bound.getPort()).containsIgnoringCase("in use");
        } finally {
            second.close();
        }
    }
}

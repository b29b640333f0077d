package dev.porter.demo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DemoBackendTest {
    private static DemoBackend backend;
    private static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        // As Main does: Tomcat's java.util.logging into logback, so its INFO chatter is filtered.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("org.apache").setLevel(java.util.logging.Level.WARNING);
        backend = DemoBackend.start("127.0.0.1", 0, 5_000, 100);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path));
    }

    @Test
    void reportsTheRealPortWhenStartedOnPortZero() {
        assertThat(backend.port()).isPositive();
    }

    @Test
    void helloAnswersPlainText() throws Exception {
        HttpResponse<String> r = client.send(request("/http/hello").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from tomcat\n");
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
    }

    @Test
    void echoStreamsAOneMebibyteBodyBackWithItsContentType() throws Exception {
        byte[] body = new byte[1 << 20];
        new Random(42).nextBytes(body);
        HttpRequest req = request("/http/echo")
                .header("Content-Type", "application/x-porter-test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();

        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/x-porter-test");
        assertThat(r.body()).isEqualTo(body);
    }

    @Test
    void bytesStreamsExactlyNBytesChunked() throws Exception {
        int n = 3 * 8192 + 5;
        HttpResponse<byte[]> r = client.send(request("/http/bytes?n=" + n).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length")).isEmpty();
        assertThat(r.body()).hasSize(n);
        assertThat(new String(r.body(), 0, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("abc");
    }

    @Test
    void bytesRefusesANegativeCount() throws Exception {
        assertThat(client.send(request("/http/bytes?n=-1").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void headersListsWhatTheClientSent() throws Exception {
        HttpRequest req = request("/http/headers").header("X-Porter-Test", "forwarded-yes").build();
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().lines()).anySatisfy(l -> assertThat(l).isEqualToIgnoringCase("x-porter-test: forwarded-yes"));
        assertThat(r.body().lines()).anySatisfy(l -> assertThat(l).startsWithIgnoringCase("host: 127.0.0.1:"));
    }

    @Test
    void statusAnswersWithTheRequestedCode() throws Exception {
        HttpResponse<String> r = client.send(request("/http/status?code=503").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(client.send(request("/http/status?code=204").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(204);
    }

    @Test
    void slowAnswersAfterTheDelay() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = client.send(request("/http/slow?ms=100").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(100);
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertThat(client.send(request("/http/nope").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void closeDeletesTheBaseDirectoryAndFailedBindNamesTheAddress() {
        DemoBackend other = DemoBackend.start("127.0.0.1", 0, 1_000, 10);
        int port = other.port();
        try {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> DemoBackend.start("127.0.0.1", port, 1_000, 10)))
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        } finally {
            other.close();
        }
        assertThat(other.baseDir()).doesNotExist();
    }
}

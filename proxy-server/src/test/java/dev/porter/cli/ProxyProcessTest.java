package dev.porter.cli;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porter.config.ConfigLoader;
import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.demo.DemoBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProxyProcessTest {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    private final ObjectMapper mapper = new ObjectMapper();

    private static String conf(int listenPort, int backendPort, int adminPort) {
        return conf(1, listenPort, backendPort, adminPort);
    }

    private static String conf(int workers, int listenPort, int backendPort, int adminPort) {
        return """
                porter {
                  workers = %d
                  listeners = [ { address = "127.0.0.1:%d" } ]
                  upstreams { app { servers = [ { address = "127.0.0.1:%d" } ] } }
                  routes = [ { path-prefix = "/", upstream = app } ]
                  admin.address = "127.0.0.1:%d"
                  shutdown-timeout = 1s
                }
                """.formatted(workers, listenPort, backendPort, adminPort);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStartLineMarksListenersThatExpectTlsOrAProxyProtocolHeader() {
        ListenerConfig plain = ListenerConfig.builder(new InetSocketAddress("127.0.0.1", 8000)).build();
        assertThat(ProxyProcess.markers(plain)).isEmpty();
        assertThat(ProxyProcess.markers(plain.toBuilder().proxyProtocol(true).build())).isEqualTo(" (PROXY protocol)");
    }

    @Test
    void proxiesToTheBackendAndServesStatusMetricsAndReload() throws Exception {
        try (DemoBackend backend = DemoBackend.start("127.0.0.1", 0, 5_000, 100)) {
            Path file = Files.writeString(dir.resolve("porter.conf"), conf(2, 0, backend.port(), 0));
            ProxyConfig config = ConfigLoader.load(file);
            ProxyProcess process = ProxyProcess.start(file, config,
                    new AccessLogSetup((LoggerContext) LoggerFactory.getILoggerFactory()), List.of());
            try {
                String proxy = "http://127.0.0.1:" + process.listenAddresses().get(0).getPort();
                String admin = "http://127.0.0.1:" + process.adminAddress().getPort();

                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> hello = get(proxy + "/http/hello");
                    assertThat(hello.statusCode()).isEqualTo(200);
                    assertThat(hello.body()).isEqualTo("hello from tomcat\n");
                }

                String server = "127.0.0.1:" + backend.port();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    HttpResponse<String> response = get(admin + "/status");
                    assertThat(response.statusCode()).isEqualTo(200);
                    JsonNode status = mapper.readTree(response.body());
                    assertThat(status.get("workers").asInt()).isEqualTo(2);
                    assertThat(status.get("transport").asText()).isEqualTo(dev.porter.transport.Transport.best().name());
                    assertThat(status.at("/clients/totals/requests").asLong()).isEqualTo(3);
                    assertThat(status.at("/clients/totals/responses/2xx").asLong()).isEqualTo(3);
                    JsonNode app = status.at("/upstreams/app/servers").get(server);
                    assertThat(app).isNotNull();
                    assertThat(app.at("/totals/opened").asLong()).isGreaterThanOrEqualTo(1);
                    assertThat(app.at("/totals/requests").asLong()).isGreaterThanOrEqualTo(3);
                    assertThat(app.get("workers")).hasSize(2);
                    for (String counter : List.of("idle", "active", "opened", "requests", "reusedRequests", "staleRetries")) {
                        long sum = 0;
                        for (JsonNode w : app.get("workers")) {
                            sum += w.get(counter).asLong();
                        }
                        assertThat(app.at("/totals/" + counter).asLong()).as(counter).isEqualTo(sum);
                    }
                    for (String by : List.of("proxy", "upstream", "reset")) {
                        long sum = 0;
                        for (JsonNode w : app.get("workers")) {
                            sum += w.at("/closedBy/" + by).asLong();
                        }
                        assertThat(app.at("/totals/closedBy/" + by).asLong()).as(by).isEqualTo(sum);
                    }
                    if (Files.isReadable(Path.of("/proc/net/tcp"))) {
                        assertThat(app.at("/tcp/portBudget").asInt()).isPositive();
                        assertThat(app.at("/tcp/proxySide").has("TIME_WAIT")).isTrue();
                        assertThat(status.at("/clients/tcp").has("ESTABLISHED")).isTrue();
                    } else {
                        assertThat(app.at("/tcp/unavailable").asText()).isNotEmpty();
                    }
                });

                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(get(admin + "/metrics").body())
                                .contains("porter_upstream_connections_opened_total{server=\"" + server + "\",upstream=\"app\",worker=\"0\"}")
                                .contains("porter_upstream_requests_total{server=\"" + server + "\",upstream=\"app\",worker=\"1\"}")
                                .contains("porter_upstream_connections_closed_total{by=\"proxy\",server=\"" + server + "\"")
                                .contains("porter_client_requests_total{worker=\"0\"}")
                                .contains("porter_tcp_census_available")
                                .contains("jvm_memory_used_bytes")
                                .contains("jvm_gc_pause_seconds_count{gc=")
                                .contains("jvm_gc_pause_seconds_sum{gc="));

                HttpResponse<String> reload = client.send(HttpRequest.newBuilder(URI.create(admin + "/reload"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(reload.statusCode()).isEqualTo(200);

                Files.writeString(file, "porter { workers = many }\n");
                HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(admin + "/reload"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("porter.conf: 1").contains("workers");
            } finally {
                process.stop();
                new AccessLogSetup((LoggerContext) LoggerFactory.getILoggerFactory())
                        .apply(new dev.porter.config.AccessLogConfig("off"));
            }
        }
    }

    @Test
    void runOnAnAddressInUseExitsThreeNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path file = Files.writeString(dir.resolve("porter.conf"), conf(taken.getLocalPort(), 9, 0));
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(new StringWriter(), true));
            cl.setErr(new PrintWriter(err, true));

            assertThat(cl.execute("run", "--config", file.toString())).isEqualTo(3);
            assertThat(err.toString()).contains("127.0.0.1:" + taken.getLocalPort()).containsIgnoringCase("in use")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void adminAddressInUseExitsThreeAndStopsTheProxy() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int listen;
            try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                listen = probe.getLocalPort();
            }
            Path file = Files.writeString(dir.resolve("porter.conf"), conf(listen, 9, taken.getLocalPort()));
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));

            assertThat(cl.execute("run", "--config", file.toString())).isEqualTo(3);
            assertThat(err.toString()).contains("admin").contains("127.0.0.1:" + taken.getLocalPort());
            // The proxy that had started is closed again: its port is free.
            try (Socket s = new Socket()) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() ->
                        s.connect(new java.net.InetSocketAddress("127.0.0.1", listen), 1000))).isNotNull();
            }
        }
    }
}

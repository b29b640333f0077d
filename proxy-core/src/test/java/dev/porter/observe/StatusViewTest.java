package dev.porter.observe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porter.metrics.SizingAdvice;
import dev.porter.metrics.ServerSnapshot;
import dev.porter.metrics.StatusSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.porter.observe.StatusFixtures.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

class StatusViewTest {
    private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
    /** As the admin listener writes the document: null members left out. */
    private final ObjectMapper mapper = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS));

    private JsonNode json(TcpReading tcp, List<SizingAdvice> advice) throws Exception {
        StatusSnapshot snapshot = new StatusSnapshot(STARTED.plusSeconds(90), 2,
                List.of(StatusFixtures.client(0, 10), StatusFixtures.client(1, 20)),
                List.of(StatusFixtures.pool(0, 3, Map.of()), StatusFixtures.pool(1, 5, Map.of("EADDRNOTAVAIL", 7L))),
                List.of(new ServerSnapshot("app", SERVER, false, true, STARTED.plusSeconds(95), 0,
                        STARTED.plusSeconds(85), "upstream closed the connection before responding", 6, 8, 3,
                        true, 612, 1000, 50, List.of())));
        StatusView view = StatusView.of("0.1.0-test", "io_uring", StatusFixtures.config(), List.of(StatusFixtures.LISTENER), STARTED, snapshot,
                tcp, advice);
        return mapper.readTree(mapper.writeValueAsString(view));
    }

    @Test
    void serverHealthAndConnectionsUnderMaxConnsAreShown() throws Exception {
        JsonNode server = json(TcpReading.of(StatusFixtures.census()), List.of()).at("/upstreams/app/servers/" + SERVER);

        assertThat(server.at("/health/state").asText()).isEqualTo("down");
        assertThat(server.at("/health/downUntil").asText()).isEqualTo("2026-01-01T00:01:35Z");
        assertThat(server.at("/health/alwaysUp").asBoolean()).isFalse();
        assertThat(server.at("/health/lastFailure/reason").asText()).isEqualTo("upstream closed the connection before responding");
        assertThat(server.at("/health/lastFailure/at").asText()).isEqualTo("2026-01-01T00:01:25Z");
        assertThat(server.at("/connections/open").asInt()).isEqualTo(6);
        assertThat(server.at("/connections/maxConns").asInt()).isEqualTo(8);
        assertThat(server.at("/connections/queued").asInt()).isEqualTo(3);
    }

    @Test
    void serverTotalsAreTheSumsOfTheWorkers() throws Exception {
        JsonNode server = json(TcpReading.of(StatusFixtures.census()), List.of()).at("/upstreams/app/servers/" + SERVER);

        JsonNode totals = server.get("totals");
        assertThat(totals.get("opened").asLong()).isEqualTo(8);
        assertThat(totals.get("requests").asLong()).isEqualTo(200);
        assertThat(totals.get("reusedRequests").asLong()).isEqualTo(192);
        assertThat(totals.get("idle").asInt()).isEqualTo(4);
        assertThat(totals.get("active").asInt()).isEqualTo(2);
        assertThat(totals.get("closing").asInt()).isEqualTo(2);
        assertThat(totals.get("surplus").asLong()).isEqualTo(8);
        assertThat(totals.get("staleRetries").asLong()).isEqualTo(1);
        assertThat(totals.get("tunnels").asInt()).isEqualTo(2);
        assertThat(totals.get("tunnelsOpened").asLong()).isEqualTo(4);
        assertThat(totals.at("/closedBy/proxy").asLong()).isEqualTo(6);
        assertThat(totals.at("/closedBy/upstream").asLong()).isEqualTo(2);
        assertThat(totals.at("/closedReason/idle-timeout").asLong()).isEqualTo(6);
        assertThat(totals.at("/connectErrors/EADDRNOTAVAIL").asLong()).isEqualTo(7);
        // A sum of per-worker peaks is no peak: it is left out of the totals.
        assertThat(totals.has("peakActive")).isFalse();
        assertThat(totals.has("worker")).isFalse();

        assertThat(server.get("workers")).hasSize(2);
        assertThat(server.at("/workers/1/worker").asInt()).isEqualTo(1);
        assertThat(server.at("/workers/1/peakActive").asInt()).isEqualTo(3);
        assertThat(server.get("address").asText()).isEqualTo("127.0.0.1:8080");
    }

    @Test
    void everyCloseInitiatorAndReasonIsAKeyEvenWhenZero() throws Exception {
        JsonNode worker = json(TcpReading.of(StatusFixtures.census()), List.of())
                .at("/upstreams/app/servers/" + SERVER + "/workers/0");

        assertThat(worker.get("closedBy").fieldNames()).toIterable().containsExactly("proxy", "upstream", "reset");
        assertThat(worker.get("closedReason").fieldNames()).toIterable()
                .contains("idle-timeout", "keepalive-requests", "keepalive-time", "upstream-close", "error", "shutdown");
        assertThat(worker.at("/closedReason/keepalive-time").asLong()).isZero();
        assertThat(worker.get("connectErrors").isEmpty()).isTrue();
    }

    @Test
    void clientTotalsSumTheWorkersWithResponsesByClass() throws Exception {
        JsonNode clients = json(TcpReading.of(StatusFixtures.census()), List.of()).get("clients");

        assertThat(clients.at("/totals/requests").asLong()).isEqualTo(30);
        assertThat(clients.at("/totals/open").asInt()).isEqualTo(8);
        assertThat(clients.at("/totals/tunnels").asInt()).isEqualTo(2);
        assertThat(clients.at("/totals/tunnelsOpened").asLong()).isEqualTo(4);
        assertThat(clients.at("/workers/1/tunnels").asInt()).isEqualTo(1);
        assertThat(clients.at("/totals/responses/2xx").asLong()).isEqualTo(28);
        assertThat(clients.at("/totals/responses/5xx").asLong()).isEqualTo(2);
        assertThat(clients.get("workers")).hasSize(2);
        assertThat(clients.at("/workers/0/requests").asLong()).isEqualTo(10);
    }

    @Test
    void kernelViewSplitsClientAndUpstreamLegsWithThePortBudget() throws Exception {
        JsonNode doc = json(TcpReading.of(StatusFixtures.census()), List.of());

        assertThat(doc.at("/clients/tcp/ESTABLISHED").asInt()).isEqualTo(1);
        assertThat(doc.at("/clients/tcp/LISTEN").asInt()).isEqualTo(1);
        assertThat(doc.at("/clients/tcp/TIME_WAIT").asInt()).isZero();
        JsonNode tcp = doc.at("/upstreams/app/servers/" + SERVER + "/tcp");
        assertThat(tcp.at("/proxySide/TIME_WAIT").asInt()).isEqualTo(1);
        assertThat(tcp.at("/proxySide/ESTABLISHED").asInt()).isEqualTo(1);
        assertThat(tcp.at("/proxySide/CLOSE_WAIT").asInt()).isZero();
        assertThat(tcp.get("portsHeld").asInt()).isEqualTo(2);
        assertThat(tcp.get("portBudget").asInt()).isEqualTo(28232);
        assertThat(tcp.get("portBudgetUsedPercent").asDouble()).isEqualTo(0.01);
    }

    @Test
    void anUnreadableKernelViewSaysWhyInsteadOfFailing() throws Exception {
        JsonNode doc = json(TcpReading.unavailable("cannot read /proc/net/tcp"), List.of());

        assertThat(doc.at("/clients/tcp/unavailable").asText()).isEqualTo("cannot read /proc/net/tcp");
        assertThat(doc.at("/upstreams/app/servers/" + SERVER + "/tcp/unavailable").asText())
                .isEqualTo("cannot read /proc/net/tcp");
        assertThat(doc.at("/upstreams/app/servers/" + SERVER + "/totals/opened").asLong()).isEqualTo(8);
    }

    @Test
    void takingACensusThatThrowsGivesTheReason() {
        TcpReading missing = TcpReading.take(() -> {
            throw new java.nio.file.NoSuchFileException("/proc/net/tcp");
        });
        assertThat(missing.available()).isFalse();
        assertThat(missing.unavailable()).contains("/proc/net/tcp").contains("Linux");

        TcpReading broken = TcpReading.take(() -> {
            throw new IllegalArgumentException("line 3 is not a socket");
        });
        assertThat(broken.unavailable()).isEqualTo("line 3 is not a socket");
    }

    @Test
    void sizingComparesThePeakWithKeepaliveAndRecommends() throws Exception {
        SizingAdvice advice = new SizingAdvice("app", SERVER, 9, 4, false, 5000, 400, 80.0, 50, 12);
        JsonNode sizing = json(TcpReading.of(StatusFixtures.census()), List.of(advice))
                .at("/upstreams/app/servers/" + SERVER + "/sizing");

        assertThat(sizing.get("peakActivePerWorker").asInt()).isEqualTo(9);
        assertThat(sizing.get("keepalive").asInt()).isEqualTo(4);
        assertThat(sizing.get("churnPer1000").asDouble()).isEqualTo(80.0);
        assertThat(sizing.get("windowSurplus").asLong()).isEqualTo(50);
        assertThat(sizing.get("recommendedKeepalive").asInt()).isEqualTo(12);
        assertThat(sizing.get("advice").asText()).contains("keepalive = 12");
    }

    @Test
    void durationsAreWrittenAsInTheConfigurationFile() {
        assertThat(StatusView.duration(java.time.Duration.ofSeconds(75))).isEqualTo("75s");
        assertThat(StatusView.duration(java.time.Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(StatusView.duration(java.time.Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(StatusView.duration(java.time.Duration.ofHours(1))).isEqualTo("1h");
    }

    @Test
    void sizingBeforeTheFirstWindowSaysSo() throws Exception {
        JsonNode sizing = json(TcpReading.of(StatusFixtures.census()), List.of())
                .at("/upstreams/app/servers/" + SERVER + "/sizing");
        assertThat(sizing.get("unavailable").asText()).contains("10s");
    }

    @Test
    void headerHasVersionUptimeWorkersTransportListenersAndTheGroupsSettings() throws Exception {
        JsonNode doc = json(TcpReading.of(StatusFixtures.census()), List.of());

        assertThat(doc.get("uptimeSeconds").asLong()).isEqualTo(90);
        assertThat(doc.get("workers").asInt()).isEqualTo(2);
        assertThat(doc.get("transport").asText()).isEqualTo("io_uring");
        assertThat(doc.get("listeners").get(0).asText()).isEqualTo("127.0.0.1:8000");
        JsonNode config = doc.at("/upstreams/app/config");
        assertThat(config.get("keepalive").asInt()).isEqualTo(4);
        assertThat(config.get("keepaliveTimeout").asText()).isEqualTo("15s");
        assertThat(config.get("keepaliveTime").asText()).isEqualTo("1h");
        assertThat(config.get("httpVersion").asText()).isEqualTo("1.1");
        assertThat(config.get("closeInitiator").asText()).isIn("proxy", "upstream", "reset");
    }
}

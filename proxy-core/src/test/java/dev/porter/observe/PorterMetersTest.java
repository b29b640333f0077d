package dev.porter.observe;

import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.SizingAdvice;
import dev.porter.metrics.StatusSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.porter.observe.StatusFixtures.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

class PorterMetersTest {
    private static final String POOL = "server=\"" + SERVER + "\",upstream=\"app\",worker=\"0\"";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PorterMeters meters = new PorterMeters(registry);

    @AfterEach
    void close() {
        registry.close();
    }

    private static StatusSnapshot snapshot(PoolSnapshot... pools) {
        return new StatusSnapshot(Instant.now(), 1, List.of(StatusFixtures.client(0, 10)), List.of(pools), List.of());
    }

    @Test
    void poolCountersAreScrapedFromTheLatestSnapshot() {
        meters.record(snapshot(StatusFixtures.pool(0, 3, Map.of())));
        meters.record(snapshot(StatusFixtures.pool(0, 4, Map.of())));

        assertThat(registry.scrape())
                .contains("porter_upstream_connections_opened_total{" + POOL + "} 4.0")
                .contains("porter_upstream_requests_total{" + POOL + "} 100.0")
                .contains("porter_upstream_reused_requests_total{" + POOL + "} 96.0")
                .contains("porter_upstream_connections{server=\"" + SERVER + "\",state=\"idle\",upstream=\"app\",worker=\"0\"} 2.0")
                .contains("porter_upstream_connections{server=\"" + SERVER + "\",state=\"closing\",upstream=\"app\",worker=\"0\"} 1.0")
                .contains("porter_upstream_connections_surplus_total{" + POOL + "} 4.0")
                .contains("porter_upstream_connections_closed_total{by=\"proxy\"," + POOL + "} 3.0")
                .contains("porter_upstream_connections_closed_total{by=\"reset\"," + POOL + "} 0.0")
                .contains("porter_upstream_connections_closed_reason_total{reason=\"idle-timeout\"," + POOL + "} 3.0")
                .contains("porter_upstream_stale_retries_total{" + POOL + "} 0.0")
                .contains("porter_client_requests_total{worker=\"0\"} 10.0")
                .contains("porter_client_responses_total{code=\"2xx\",worker=\"0\"} 9.0")
                .contains("porter_client_connections{state=\"active\",worker=\"0\"} 1.0");
    }

    @Test
    void aConnectErrorsSeriesAppearsWhenItsErrnoFirstOccurs() {
        meters.record(snapshot(StatusFixtures.pool(0, 3, Map.of())));
        assertThat(registry.scrape()).doesNotContain("porter_upstream_connect_errors_total");

        meters.record(snapshot(StatusFixtures.pool(0, 3, Map.of("EADDRNOTAVAIL", 2L))));
        assertThat(registry.scrape()).contains("porter_upstream_connect_errors_total{errno=\"EADDRNOTAVAIL\"," + POOL + "} 2.0");

        meters.record(snapshot(StatusFixtures.pool(0, 3, Map.of("EADDRNOTAVAIL", 5L, "ECONNREFUSED", 1L))));
        assertThat(registry.scrape())
                .contains("porter_upstream_connect_errors_total{errno=\"EADDRNOTAVAIL\"," + POOL + "} 5.0")
                .contains("porter_upstream_connect_errors_total{errno=\"ECONNREFUSED\"," + POOL + "} 1.0");
    }

    @Test
    void aPoolThatIsGoneAfterAReloadLosesItsMeters() {
        meters.record(snapshot(StatusFixtures.pool(0, 3, Map.of("EADDRNOTAVAIL", 2L))));
        meters.record(snapshot());

        assertThat(registry.scrape()).doesNotContain("upstream=\"app\"");
        assertThat(registry.find("porter.upstream.connect.errors").meters()).isEmpty();
    }

    @Test
    void kernelViewGaugesPerLegWithTheKeyStatesAlwaysPresent() {
        meters.record(TcpReading.of(StatusFixtures.census()), StatusFixtures.config());

        String leg = "server=\"" + SERVER + "\",side=\"proxy\",state=\"";
        assertThat(registry.scrape())
                .contains("porter_tcp_census_available 1.0")
                .contains("porter_tcp_client_sockets{state=\"ESTABLISHED\"} 1.0")
                .contains("porter_tcp_client_sockets{state=\"TIME_WAIT\"} 0.0")
                .contains("porter_tcp_upstream_sockets{" + leg + "TIME_WAIT\",upstream=\"app\"} 1.0")
                .contains("porter_tcp_upstream_sockets{" + leg + "CLOSE_WAIT\",upstream=\"app\"} 0.0")
                .contains("porter_tcp_upstream_ports_held{server=\"" + SERVER + "\",upstream=\"app\"} 2.0")
                .contains("porter_tcp_upstream_port_budget{server=\"" + SERVER + "\",upstream=\"app\"} 28232.0")
                .contains("porter_tcp_upstream_port_budget_used_percent{server=\"" + SERVER + "\",upstream=\"app\"} 0.00708");
    }

    @Test
    void anUnreadableKernelViewReadsNaNAndSaysUnavailable() {
        meters.record(TcpReading.of(StatusFixtures.census()), StatusFixtures.config());
        meters.record(TcpReading.unavailable("no /proc"), StatusFixtures.config());

        assertThat(registry.scrape())
                .contains("porter_tcp_census_available 0.0")
                .contains("porter_tcp_client_sockets{state=\"ESTABLISHED\"} NaN");
    }

    @Test
    void sizingGaugesPerServer() {
        meters.record(List.of(new SizingAdvice("app", SERVER, 9, 4, false, 5000, 400, 80.0, 50, 12)));

        String tags = "{server=\"" + SERVER + "\",upstream=\"app\"}";
        assertThat(registry.scrape())
                .contains("porter_upstream_peak_active_per_worker" + tags + " 9.0")
                .contains("porter_upstream_keepalive" + tags + " 4.0")
                .contains("porter_upstream_recommended_keepalive" + tags + " 12.0")
                .contains("porter_upstream_churn_per_1000_requests" + tags + " 80.0");
    }
}

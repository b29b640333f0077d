package dev.porter.bench.scenario;

import dev.porter.bench.report.TargetResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThroughputRatiosTest {
    private static TargetResult target(String name, int concurrency, double rps, double p99, double cpu) {
        return new TargetResult(name, concurrency, (long) rps * 10, rps, 1, 2, p99, p99 * 2, cpu, cpu / 2, cpu / 2,
                5.0, 7.0, 0, null, List.of(rps), null, null, 20.0, 30.0, null);
    }

    @Test
    void porterIsComparedWithEveryPeerAtEachConcurrency() {
        Map<String, Double> r = Throughput.ratios(List.of(
                target("porter", 50, 30_000, 3.0, 20), target("nginx", 50, 25_000, 2.5, 25),
                target("haproxy", 50, 20_000, 4.0, 30), target("porter", 200, 20_000, 12.0, 24),
                target("nginx", 200, 25_000, 10.0, 24)));

        assertThat(r.get("porter_over_nginx_rps_c50")).isCloseTo(1.2, within(1e-9));
        assertThat(r.get("porter_over_nginx_p99_c50")).isCloseTo(1.2, within(1e-9));
        assertThat(r.get("porter_over_haproxy_cpu_per_request_c50")).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(r.get("porter_over_nginx_rps_c200")).isCloseTo(0.8, within(1e-9));
        assertThat(r).doesNotContainKey("porter_over_haproxy_rps_c200");
    }

    @Test
    void theTwinGivesNginxOverTwinAndIsNoPeerOfPorters() {
        Map<String, Double> r = Throughput.ratios(List.of(
                target("porter", 200, 22_000, 18.0, 27), target("nginx", 200, 20_000, 15.0, 30),
                target("twin", 200, 21_000, 16.5, 31)));

        assertThat(r.get("nginx_over_twin_rps_c200")).isCloseTo(20.0 / 21, within(1e-9));
        assertThat(r.get("nginx_over_twin_p99_c200")).isCloseTo(15.0 / 16.5, within(1e-9));
        assertThat(r.get("nginx_over_twin_cpu_per_request_c200")).isCloseTo(30.0 / 31, within(1e-9));
        assertThat(r.get("porter_over_nginx_p99_c200")).isCloseTo(1.2, within(1e-9));
        assertThat(r.keySet()).noneMatch(k -> k.startsWith("porter_over_twin"));
    }

    @Test
    void withoutTheTwinThereIsNoControlRatio() {
        Map<String, Double> r = Throughput.ratios(List.of(
                target("porter", 50, 30_000, 3.0, 20), target("nginx", 50, 25_000, 2.5, 25)));

        assertThat(r.keySet()).noneMatch(k -> k.startsWith("nginx_over_"));
    }
}

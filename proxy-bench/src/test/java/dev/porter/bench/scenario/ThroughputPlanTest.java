package dev.porter.bench.scenario;

import dev.porter.bench.proxy.Launch;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThroughputPlanTest {
    private static ThroughputPlan plan(int keepalive, List<Integer> concurrencies) {
        return new ThroughputPlan(concurrencies, 3, Duration.ofSeconds(10), Duration.ofSeconds(15),
                Duration.ofSeconds(90), Duration.ofSeconds(5), 1, keepalive, "static", List.of("nginx", "haproxy"), "always", false, false,
                dev.porter.bench.proxy.BenchCertificate.Keys.RSA);
    }

    @Test
    void everyProxysPoolCoversTheLargestConcurrencyUnlessGiven() {
        assertThat(plan(0, List.of(50, 1000, 200)).pool()).isEqualTo(1000);
        assertThat(plan(512, List.of(50, 1000)).pool()).isEqualTo(512);
    }

    @Test
    void eachLaterConcurrencyIsWarmedOnceJustBeforeItsFirstRound() {
        ThroughputPlan p = plan(0, List.of(50, 200, 1000));
        assertThat(p.warmupBefore(1, 50)).as("the warm-up ran at the first concurrency").isZero();
        assertThat(p.warmupBefore(1, 200)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.warmupBefore(1, 1000)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.warmupBefore(2, 200)).isZero();
        assertThat(p.warmupBefore(3, 1000)).isZero();
    }

    @Test
    void theWarmUpRunsInSessionsAsLongAsOneMeasurementEachOnNewConnections() {
        ThroughputPlan p = plan(0, List.of(50));
        assertThat(p.warmupSessions(Duration.ofSeconds(30)))
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertThat(p.warmupSessions(Duration.ofSeconds(25)))
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5));
        assertThat(p.warmupSessions(Duration.ofSeconds(4))).containsExactly(Duration.ofSeconds(4));
        assertThat(p.warmupSessions(Duration.ZERO)).isEmpty();
    }

    @Test
    void theTargetsWarmUpInTurnAsTheRoundsTakeThemUntilEachHasHadItsOwn() {
        ThroughputPlan p = plan(0, List.of(50));
        Map<String, Duration> totals = new LinkedHashMap<>();
        totals.put("direct", Duration.ofSeconds(15));
        totals.put("porter", Duration.ofSeconds(35));
        totals.put("nginx", Duration.ofSeconds(15));

        assertThat(p.warmupOrder(totals)).extracting(e -> e.getKey() + " " + e.getValue().toSeconds()).containsExactly(
                "direct 10", "porter 10", "nginx 10",
                "direct 5", "porter 10", "nginx 5",
                "porter 10",
                "porter 5");
        assertThat(p.warmupOrder(Map.of("porter", Duration.ZERO))).isEmpty();
    }

    @Test
    void aPlanWithoutConcurrencyIsRefused() {
        assertThatThrownBy(() -> plan(0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan(0, List.of(0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pinningSplitsTheCpusAndPrefixesEachSide() {
        Launch two = Launch.split(2);
        Launch four = Launch.split(4);

        assertThat(two.serverCpus()).isEqualTo("0");
        assertThat(two.loadCpus()).isEqualTo("1");
        assertThat(four.serverCpus()).isEqualTo("0-1");
        assertThat(four.loadCpus()).isEqualTo("2-3");
        assertThat(two.server(List.of("nginx"))).containsSubsequence("taskset", "-c", "0", "nginx");
        assertThat(two.load(List.of("wrk"))).containsSubsequence("taskset", "-c", "1", "wrk");
        assertThat(Launch.unpinned().server(List.of("nginx"))).doesNotContain("taskset").endsWith("nginx");
        assertThat(two.describe()).contains("CPU 0").contains("CPU 1");
        assertThatThrownBy(() -> Launch.split(1)).hasMessageContaining("2 CPUs");
    }
}

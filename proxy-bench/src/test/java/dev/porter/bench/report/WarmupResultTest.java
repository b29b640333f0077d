package dev.porter.bench.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WarmupResultTest {
    // listening 2 s after spawn, then 1k, 5k, 9k, then 10k for the rest of the run
    private static final List<Double> RPS = List.of(1_000.0, 5_000.0, 9_000.0, 10_000.0, 10_000.0, 10_000.0, 10_000.0,
            10_000.0, 10_000.0, 10_000.0, 10_000.0, 10_000.0);

    @Test
    void steadyStateIsTheMeanOfTheLastWindowAndThe80PercentMarkCountsFromSpawn() {
        WarmupResult w = WarmupResult.of(2.0, RPS, List.of(), 5);

        assertThat(w.steadyRps()).isEqualTo(10_000);
        // the third sample (9k >= 8k) covers [4 s, 5 s) after spawn
        assertThat(w.firstSecondAt80Percent()).isEqualTo(5.0);
        // first 10 s after spawn: nothing for 2 s, then 1k + 5k + 9k + 5 x 10k = 65k of a steady 100k
        assertThat(w.shareOfSteadyInFirst10s()).isCloseTo(0.65, within(1e-9));
    }

    @Test
    void cpuPerRequestIsGivenPer10SecondsOfLoad() {
        List<Double> cpu = List.of(100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 500.0, 500.0);
        WarmupResult w = WarmupResult.of(2.0, RPS, cpu, 5);

        // first 10 s: 1,000 ms of CPU for 85,000 requests; then 1,000 ms for 20,000
        assertThat(w.cpuMicrosPerRequestBy10s()).hasSize(2);
        assertThat(w.cpuMicrosPerRequestBy10s().get(0)).isCloseTo(1e6 / 85_000, within(1e-9));
        assertThat(w.cpuMicrosPerRequestBy10s().get(1)).isEqualTo(50.0);
    }

    @Test
    void cpuTimeTo80PercentCountsFromSpawnToTheFirstOfThreeSecondsWithinAQuarterOfSteadyCpuPerRequest() {
        // steady: 500 ms for 10k requests = 50 us each, so 62.5 us is the bound. Second 1 of load:
        // 1k requests and no CPU tick (passes alone); second 2: 400 ms / 5k = 80 us (fails);
        // seconds 3 to 5: 560 ms / 9k = 62.2 us, then 50 us: the first run of three starts at 3.
        List<Double> cpu = List.of(0.0, 400.0, 560.0, 500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 500.0);
        WarmupResult w = WarmupResult.of(2.0, 1_500.0, RPS, cpu, 5);

        assertThat(w.startupCpuSeconds()).isEqualTo(1.5);
        assertThat(w.cpuSecondsTo80Percent()).isCloseTo((1_500 + 0 + 400 + 560) / 1000.0, within(1e-9));
        assertThat(WarmupResult.of(2.0, RPS, cpu, 5).cpuSecondsTo80Percent()).as("no start-up reading").isNull();
    }

    @Test
    void aCurveThatNeverReaches80PercentSaysSo() {
        WarmupResult w = WarmupResult.of(0.5, List.of(100.0, 100.0, 1_000.0), List.of(), 1);

        assertThat(w.firstSecondAt80Percent()).isEqualTo(3.5);
        assertThat(WarmupResult.of(0.5, List.of(0.0, 0.0), List.of(), 1).firstSecondAt80Percent()).isNull();
    }

    @Test
    void theConsoleSaysWhenSteadyStateWasReached() {
        BenchReport r = new BenchReport("warmup", 12, 50, 1, null, null, null)
                .withWarmup(WarmupResult.of(2.0, RPS, List.of(), 5)).withSetup(Map.of("porter", "workers 1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ConsoleTable.print(r, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("steady state 10000 req/s")
                .contains("ends 5.0 s after spawn").contains("served 65%").contains("porter:      workers 1")
                .doesNotContain("Porter's CPU time");
    }

    @Test
    void theIdleTableGivesMemoryPerConnection() {
        BenchReport r = new BenchReport("idle-connections", 0, 10_000, 1, null, null, null).withIdle(List.of(
                new IdleResult("nginx", 10_000, 3_000L, 4_000L, 2_000L, 9_600L, 7_600L, 0.56, 0.56, Map.of(), null),
                IdleResult.skipped("haproxy", "haproxy not installed")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ConsoleTable.print(r, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("nginx +10000 +2\\.9 +3\\.9 +9\\.4 .* 0\\.56 +0\\.56")
                .contains("haproxy not installed");
    }
}

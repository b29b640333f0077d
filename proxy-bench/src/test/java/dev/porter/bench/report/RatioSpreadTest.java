package dev.porter.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Ratios over repeated whole runs: median, range, runs that missed one, and how the report shows them. */
class RatioSpreadTest {
    private static Map<String, Double> run(double p99, Double rps) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("porter_over_nginx_p99_c50", p99);
        if (rps != null) {
            m.put("porter_over_nginx_rps_c50", rps);
        }
        return m;
    }

    @Test
    void eachRatioGetsEveryRunsValueInRunOrderWithMedianAndRange() {
        List<RatioSpread> spreads = RatioSpread.of(List.of(run(1.79, 1.04), run(1.03, null), run(1.31, 1.10), run(1.85, 0.98)));

        assertThat(spreads).extracting(RatioSpread::ratio)
                .containsExactly("porter_over_nginx_p99_c50", "porter_over_nginx_rps_c50");
        RatioSpread p99 = spreads.get(0);
        assertThat(p99.values()).containsExactly(1.79, 1.03, 1.31, 1.85);
        assertThat(p99.median()).isEqualTo((1.31 + 1.79) / 2);
        assertThat(p99.min()).isEqualTo(1.03);
        assertThat(p99.max()).isEqualTo(1.85);
        assertThat(p99.atOrBelow(1.2)).isEqualTo(1);
        // a run that did not measure a ratio counts for none of them
        RatioSpread rps = spreads.get(1);
        assertThat(rps.values()).containsExactly(1.04, null, 1.10, 0.98);
        assertThat(rps.median()).isEqualTo(1.04);
        assertThat(rps.min()).isEqualTo(0.98);
    }

    @Test
    void aRatioNoRunMeasuredHasNoMedian() {
        Map<String, Double> nan = new HashMap<>();
        nan.put("porter_over_haproxy_rps_c50", Double.NaN);
        RatioSpread s = RatioSpread.of(List.of(nan)).get(0);
        assertThat(s.median()).isNull();
        assertThat(s.min()).isNull();
    }

    @Test
    void theReportShowsTheSpreadAndCarriesEveryRunInItsJson() throws Exception {
        BenchReport one = new BenchReport("throughput", 10, 50, 1, null, null, run(1.79, 1.04));
        BenchReport two = new BenchReport("throughput", 10, 50, 1, null, null, run(1.03, 1.10));
        BenchReport r = two.withRepeat(new BenchReport.Repeat(List.of(one, two),
                RatioSpread.of(List.of(one.ratios(), two.ratios()))));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleTable.print(r, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("2 runs, each with fresh processes")
                .containsPattern("porter_over_nginx_p99_c50 +1\\.410 +1\\.030 +1\\.790 +1\\.790 1\\.030");

        JsonNode json = new ObjectMapper().readTree(JsonReport.toJson(r));
        assertThat(json.get("repeat").get("runs")).hasSize(2);
        assertThat(json.get("repeat").get("runs").get(0).get("ratios").get("porter_over_nginx_p99_c50").asDouble())
                .isEqualTo(1.79);
        JsonNode spread = json.get("repeat").get("spread").get(0);
        assertThat(spread.get("ratio").asText()).isEqualTo("porter_over_nginx_p99_c50");
        assertThat(spread.get("median").asDouble()).isCloseTo(1.41, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(spread.get("values")).hasSize(2);
    }
}

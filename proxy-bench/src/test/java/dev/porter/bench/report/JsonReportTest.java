package dev.porter.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porter.bench.tcp.TimelinePoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonReportTest {
    private static final ModeResult POOL_OFF = new ModeResult("pool-off", 1000, 200.0, 900, 0, 100, 100L, 40,
            Map.of("EADDRNOTAVAIL", 40L), Map.of(), 1.5, 9.0, 1000, 0, 3, 1000L, Map.of("EADDRNOTAVAIL", 100L), null,
            List.of(new TimelinePoint(0.5, 10, 1000, 0, 3)));

    @Test
    void modesCarryTheFieldNamesTheIssueAsksFor() throws Exception {
        BenchReport r = new BenchReport("port-exhaustion", 10, 64, 2, List.of(POOL_OFF), null, null);

        JsonNode json = new ObjectMapper().readTree(JsonReport.toJson(r));

        assertThat(json.get("scenario").asText()).isEqualTo("port-exhaustion");
        assertThat(json.has("targets")).isFalse();
        JsonNode mode = json.get("modes").get(0);
        assertThat(mode.get("name").asText()).isEqualTo("pool-off");
        assertThat(mode.get("requests").asLong()).isEqualTo(1000);
        assertThat(mode.get("status_2xx").asLong()).isEqualTo(900);
        assertThat(mode.get("status_5xx").asLong()).isEqualTo(100);
        assertThat(mode.get("eaddrnotavail").asLong()).isEqualTo(100);
        assertThat(mode.get("client_eaddrnotavail").asLong()).isEqualTo(40);
        assertThat(mode.get("timewait_proxy_side_max").asInt()).isEqualTo(1000);
        assertThat(mode.get("timewait_upstream_side_max").asInt()).isEqualTo(0);
        assertThat(mode.get("upstream_connections_opened").asLong()).isEqualTo(1000);
        assertThat(mode.get("timeline").get(0).get("timewait_proxy_side").asInt()).isEqualTo(1000);
    }

    @Test
    void unknownValuesAreWrittenAsNull() throws Exception {
        JsonNode mode = new ObjectMapper().readTree(JsonReport.toJson(ModeResult.skipped("pool-off", "no porter.jar")));

        assertThat(mode.get("upstream_connections_opened").isNull()).isTrue();
        assertThat(mode.get("eaddrnotavail").isNull()).isTrue();
        assertThat(mode.get("timewait_proxy_side_max").isNull()).isTrue();
        assertThat(mode.get("note").asText()).isEqualTo("no porter.jar");
    }

    @Test
    void throughputCarriesTargetsAndRatios() throws Exception {
        TargetResult porter = new TargetResult("porter", 100, 50_000, 1, 2, 3, 4, 20.0, 0, List.of(50_000.0), 2L, Map.of(), null, 300.0, null);
        TargetResult nginx = new TargetResult("nginx", 100, 40_000, 1, 2, 2, 4, 25.0, 0, List.of(40_000.0), null, null, null, 10.0, null);
        TargetResult direct = TargetResult.skipped("direct", "n/a");
        BenchReport r = new BenchReport("throughput", 10, 64, 2, null, List.of(direct, porter, nginx),
                dev.porter.bench.scenario.Throughput.ratios(List.of(direct, porter, nginx)));

        JsonNode json = new ObjectMapper().readTree(JsonReport.toJson(r));

        JsonNode t = json.get("targets").get(1);
        assertThat(t.get("name").asText()).isEqualTo("porter");
        assertThat(t.get("rps").asDouble()).isEqualTo(50_000);
        assertThat(t.get("p50_ms").asDouble()).isEqualTo(1);
        assertThat(t.get("p99_ms").asDouble()).isEqualTo(3);
        assertThat(t.get("cpu_us_per_request").asDouble()).isEqualTo(20);
        assertThat(json.get("ratios").get("porter_over_nginx_rps").asDouble()).isEqualTo(1.25);
        assertThat(json.get("ratios").get("porter_over_nginx_cpu_per_request").asDouble()).isEqualTo(0.8);
        assertThat(json.get("ratios").has("porter_over_direct_rps")).isFalse();
    }

    @Test
    void aModeResultSurvivesTheRoundTripThroughAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mode.json");

        JsonReport.write(POOL_OFF, file);

        assertThat(JsonReport.readMode(file)).isEqualTo(POOL_OFF);
    }

    @Test
    void consoleTableAndChartsAreProduced(@TempDir Path dir) throws Exception {
        BenchReport r = new BenchReport("port-exhaustion", 10, 64, 2, List.of(POOL_OFF), null, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ConsoleTable.print(r, new PrintStream(out, true, StandardCharsets.UTF_8));
        List<Path> charts = Charts.write(r, dir);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("pool-off").contains("EADDRNOTAVAIL").contains("client EADDR")
                .containsPattern("pool-off .* 100 +40 ");
        assertThat(charts).singleElement().satisfies(p -> assertThat(p).exists().hasFileName(
                "port-exhaustion-pool-off-timewait.png"));
    }
}

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

    static TargetResult target(String name, int concurrency, double rps, double p99, Double user, Double sys, Double peak) {
        return new TargetResult(name, concurrency, (long) rps * 10, rps, 1, 2, p99, p99 * 2,
                user == null ? null : user + sys, user, sys, 5.0, 7.0, 0, null, List.of(rps), null, null, 100.0, peak,
                null);
    }

    @Test
    void throughputCarriesTargetsRatiosAndSetup() throws Exception {
        TargetResult porter = target("porter", 50, 50_000, 3, 12.0, 8.0, 300.0);
        TargetResult nginx = target("nginx", 50, 40_000, 2, 15.0, 10.0, 10.0);
        TargetResult direct = TargetResult.skipped("direct", "n/a");
        List<TargetResult> all = List.of(direct, porter, nginx);
        BenchReport r = new BenchReport("throughput", 10, 50, 1, null, all,
                dev.porter.bench.scenario.Throughput.ratios(all)).withSetup(Map.of("pinning", "CPU 0 / CPU 1"));

        JsonNode json = new ObjectMapper().readTree(JsonReport.toJson(r));

        JsonNode t = json.get("targets").get(1);
        assertThat(t.get("name").asText()).isEqualTo("porter");
        assertThat(t.get("concurrency").asInt()).isEqualTo(50);
        assertThat(t.get("rps").asDouble()).isEqualTo(50_000);
        assertThat(t.get("p99_ms").asDouble()).isEqualTo(3);
        assertThat(t.get("p999_ms").asDouble()).isEqualTo(6);
        assertThat(t.get("cpu_us_per_request").asDouble()).isEqualTo(20);
        assertThat(t.get("cpu_user_us_per_request").asDouble()).isEqualTo(12);
        assertThat(t.get("cpu_sys_us_per_request").asDouble()).isEqualTo(8);
        assertThat(json.get("ratios").get("porter_over_nginx_rps_c50").asDouble()).isEqualTo(1.25);
        assertThat(json.get("ratios").get("porter_over_nginx_cpu_per_request_c50").asDouble()).isEqualTo(0.8);
        assertThat(json.get("ratios").get("porter_over_nginx_peak_rss").asDouble()).isEqualTo(30);
        assertThat(json.get("ratios").has("porter_over_direct_rps_c50")).isFalse();
        assertThat(json.get("setup").get("pinning").asText()).isEqualTo("CPU 0 / CPU 1");
    }

    @Test
    void throughputTableShowsEveryConcurrencyAndRatiosByConcurrency(@TempDir Path dir) throws Exception {
        List<TargetResult> all = List.of(target("porter", 50, 20_000, 8, 17.0, 20.0, 190.0),
                target("nginx", 50, 27_600, 3.2, 7.5, 18.0, 29.0), target("haproxy", 50, 30_100, 3.0, 10.0, 17.0, 20.0),
                target("porter", 200, 17_200, 26, 18.0, 21.0, 190.0), target("nginx", 200, 25_900, 12, 8.0, 18.0, 29.0));
        BenchReport r = new BenchReport("throughput", 10, 50, 1, null, all, dev.porter.bench.scenario.Throughput.ratios(all));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ConsoleTable.print(r, new PrintStream(out, true, StandardCharsets.UTF_8));
        List<Path> charts = Charts.write(r, dir);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).containsPattern("porter +200 ").containsPattern("haproxy +50 ")
                .containsPattern("porter_over_nginx_rps +0\\.725 +0\\.664")
                // HAProxy ran at one concurrency only: the other column says so
                .containsPattern("(?m)porter_over_haproxy_rps +0\\.664 +-$");
        assertThat(charts).extracting(p -> p.getFileName().toString())
                .containsExactly("throughput-rps.png", "throughput-latency.png", "throughput-cpu.png");
    }

    @Test
    void aModeResultSurvivesTheRoundTripThroughAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mode.json");

        JsonReport.write(POOL_OFF, file);

        assertThat(JsonReport.readMode(file)).isEqualTo(POOL_OFF);
    }

    private static final ModeResult DEFAULTS = new ModeResult("defaults-c600", 50_000, 833.0, 50_000, 0, 0, 0L, 0,
            Map.of(), Map.of(), 300, 900, 80, 0, 1, 650L, Map.of(), null,
            List.of(new TimelinePoint(0.5, 10, 0, 0, 1), new TimelinePoint(1.0, 900, 80, 0, 1)), 600, 60.0,
            "no pool keys (shipped defaults)", true, 0.5, "50%", 680, 1000,
            List.of(new GuardPoint(0.4, false, 450, 1000), new GuardPoint(1.4, true, 680, 1000)));

    @Test
    void aDefaultsModeCarriesItsShapeAndTheGuardThroughTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mode.json");

        JsonReport.write(DEFAULTS, file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());

        assertThat(JsonReport.readMode(file)).isEqualTo(DEFAULTS);
        assertThat(json.get("concurrency").asInt()).isEqualTo(600);
        assertThat(json.get("guard_engaged").asBoolean()).isTrue();
        assertThat(json.get("guard_timeline").get(1).get("ports_held").asInt()).isEqualTo(680);
    }

    @Test
    void modesOfDifferentShapesShowTheirClientsSecondsGuardAndSetup(@TempDir Path dir) throws Exception {
        BenchReport r = new BenchReport("port-exhaustion", 10, 64, 2, List.of(POOL_OFF, DEFAULTS), null, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ConsoleTable.print(r, new PrintStream(out, true, StandardCharsets.UTF_8));
        List<Path> charts = Charts.write(r, dir);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("clients and seconds per mode below")
                .containsPattern("pool-off +64 +10 ")
                .containsPattern("defaults-c600 +600 +60 ")
                .containsPattern("yes \\(50%\\) +680/1000")
                .containsPattern("defaults-c600 +no pool keys \\(shipped defaults\\)");
        assertThat(charts).extracting(p -> p.getFileName().toString())
                .containsExactly("port-exhaustion-pool-off-timewait.png", "port-exhaustion-defaults-c600-timewait.png");
    }

    @Test
    void aGuardReportsOffYesOrUnknown() {
        assertThat(ConsoleTable.guard(POOL_OFF)).isEqualTo("-");
        assertThat(ConsoleTable.guard(DEFAULTS)).isEqualTo("yes (50%)");
        assertThat(GuardPoint.engagedShare(DEFAULTS.guardTimeline())).isEqualTo(0.5);
        assertThat(GuardPoint.engagedShare(List.of())).isNull();
        assertThat(Charts.percent("50%")).isEqualTo(50);
        assertThat(Charts.percent("off")).isNull();
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

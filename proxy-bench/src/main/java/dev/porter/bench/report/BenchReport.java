package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Everything one run of one scenario measured; written as {@code --json} by {@link JsonReport}.
 * Incident scenarios fill {@code modes}; {@code throughput} fills {@code targets} and
 * {@code ratios} (e.g. {@code porter_over_nginx_rps_c50}); {@code idle-connections} fills
 * {@code idle}; {@code warmup} fills {@code warmup}. {@code setup} says how the numbers were made:
 * origin, load generator, CPU pinning, warm-up, the peers' configuration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchReport(
        @JsonProperty("scenario") String scenario,
        @JsonProperty("duration_s") double durationSeconds,
        @JsonProperty("concurrency") int concurrency,
        @JsonProperty("workers") int workers,
        @JsonProperty("modes") List<ModeResult> modes,
        @JsonProperty("targets") List<TargetResult> targets,
        @JsonProperty("ratios") Map<String, Double> ratios,
        @JsonProperty("machine") Machine machine,
        @JsonProperty("setup") Map<String, String> setup,
        @JsonProperty("idle") List<IdleResult> idle,
        @JsonProperty("warmup") WarmupResult warmup,
        @JsonProperty("repeat") Repeat repeat) {

    /**
     * {@code throughput --repeat N}: every run's own report (fresh processes each), and each ratio
     * over the runs.
     */
    public record Repeat(@JsonProperty("runs") List<BenchReport> runs, @JsonProperty("spread") List<RatioSpread> spread) {
        public Repeat {
            runs = List.copyOf(runs);
            spread = List.copyOf(spread);
        }
    }

    public BenchReport(String scenario, double durationSeconds, int concurrency, int workers, List<ModeResult> modes,
            List<TargetResult> targets, Map<String, Double> ratios) {
        this(scenario, durationSeconds, concurrency, workers, modes, targets, ratios, null, null, null, null, null);
    }

    public BenchReport withMachine(Machine m) {
        return new BenchReport(scenario, durationSeconds, concurrency, workers, modes, targets, ratios, m, setup, idle,
                warmup, repeat);
    }

    public BenchReport withSetup(Map<String, String> s) {
        return new BenchReport(scenario, durationSeconds, concurrency, workers, modes, targets, ratios, machine, s, idle,
                warmup, repeat);
    }

    public BenchReport withIdle(List<IdleResult> i) {
        return new BenchReport(scenario, durationSeconds, concurrency, workers, modes, targets, ratios, machine, setup, i,
                warmup, repeat);
    }

    public BenchReport withRepeat(Repeat r) {
        return new BenchReport(scenario, durationSeconds, concurrency, workers, modes, targets, ratios, machine, setup,
                idle, warmup, r);
    }

    public BenchReport withWarmup(WarmupResult w) {
        return new BenchReport(scenario, durationSeconds, concurrency, workers, modes, targets, ratios, machine, setup,
                idle, w, repeat);
    }
}

package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Everything one run of one scenario measured; written as {@code --json} by {@link JsonReport}.
 * Incident scenarios fill {@code modes}; {@code throughput} fills {@code targets} and
 * {@code ratios} (e.g. {@code porter_over_nginx_rps}).
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
        @JsonProperty("machine") Machine machine) {

    public BenchReport(String scenario, double durationSeconds, int concurrency, int workers, List<ModeResult> modes,
            List<TargetResult> targets, Map<String, Double> ratios) {
        this(scenario, durationSeconds, concurrency, workers, modes, targets, ratios, null);
    }

    public BenchReport withMachine(Machine m) {
        return new BenchReport(scenario, durationSeconds, concurrency, workers, modes, targets, ratios, m);
    }
}

package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One target of the throughput scenario ({@code direct}, {@code porter}, {@code nginx}),
 * over all its measured rounds. {@code cpuMicrosPerRequest} is null when the target runs in
 * the bench's own JVM (direct) or its process could not be read.
 */
public record TargetResult(
        @JsonProperty("name") String name,
        @JsonProperty("requests") long requests,
        @JsonProperty("rps") double rps,
        @JsonProperty("p50_ms") double p50Millis,
        @JsonProperty("p90_ms") double p90Millis,
        @JsonProperty("p99_ms") double p99Millis,
        @JsonProperty("p999_ms") double p999Millis,
        @JsonProperty("cpu_us_per_request") Double cpuMicrosPerRequest,
        @JsonProperty("errors") long errors,
        @JsonProperty("round_rps") List<Double> roundRps,
        @JsonProperty("note") String note) {

    public static TargetResult skipped(String name, String note) {
        return new TargetResult(name, 0, 0, 0, 0, 0, 0, null, 0, List.of(), note);
    }

    public boolean ran() {
        return note == null;
    }
}

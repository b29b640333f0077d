package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One target of the throughput scenario ({@code direct}, {@code porter}, {@code nginx}),
 * over all its measured rounds. {@code cpuMicrosPerRequest} is null when the target runs in
 * the bench's own JVM (direct) or its process could not be read: it is the proxy process's
 * utime + stime over the measured rounds (nginx: master and workers) divided by the requests.
 * {@code upstream_connections_opened} and {@code proxy_connect_errors} are Porter's, from its
 * {@code /status} at the end of the run (warm-up included); null for the other targets.
 * {@code wrk}: the same target loaded once by wrk (with {@code --wrk}), as a cross-check; else null.
 * {@code peak_rss_mib}: the proxy process's peak resident memory over the run; null for direct.
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
        @JsonProperty("upstream_connections_opened") Long upstreamConnectionsOpened,
        @JsonProperty("proxy_connect_errors") java.util.Map<String, Long> proxyConnectErrors,
        @JsonProperty("wrk") dev.porter.bench.load.Wrk.Result wrk,
        @JsonProperty("peak_rss_mib") Double peakRssMiB,
        @JsonProperty("note") String note) {

    public static TargetResult skipped(String name, String note) {
        return new TargetResult(name, 0, 0, 0, 0, 0, 0, null, 0, List.of(), null, null, null, null, note);
    }

    public TargetResult withWrk(dev.porter.bench.load.Wrk.Result w) {
        return new TargetResult(name, requests, rps, p50Millis, p90Millis, p99Millis, p999Millis, cpuMicrosPerRequest,
                errors, roundRps, upstreamConnectionsOpened, proxyConnectErrors, w, peakRssMiB, note);
    }

    /** With the proxy process's peak resident memory (VmHWM, nginx: master + workers), in MiB. */
    public TargetResult withPeakRss(Double mib) {
        return new TargetResult(name, requests, rps, p50Millis, p90Millis, p99Millis, p999Millis, cpuMicrosPerRequest,
                errors, roundRps, upstreamConnectionsOpened, proxyConnectErrors, wrk, mib, note);
    }

    public boolean ran() {
        return note == null;
    }
}

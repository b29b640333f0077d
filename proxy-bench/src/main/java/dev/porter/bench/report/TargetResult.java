package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * One target of the throughput scenario ({@code direct}, {@code porter}, {@code nginx},
 * {@code haproxy}) at one concurrency, over all its measured rounds.
 *
 * <ul>
 *   <li>{@code rps}: requests over the rounds' summed duration; {@code round_rps} each round's.</li>
 *   <li>Latency percentiles: the median over the rounds of each round's percentile (wrk and ab
 *       give percentiles, not histograms); {@code p999_ms} null when the generator cannot tell.</li>
 *   <li>{@code cpu_us_per_request} (split {@code _user_}/{@code _sys_}): the proxy process's
 *       utime and stime over the measured rounds, all its threads (nginx: master and workers),
 *       divided by the requests; null for direct. With a new connection per request this is also
 *       the CPU per connection. {@code origin_cpu_us_per_request} and
 *       {@code client_cpu_us_per_request}: the same for the origin and the load generator.</li>
 *   <li>{@code upstream_connections_opened} and {@code proxy_connect_errors}: Porter's, from its
 *       {@code /status} at the end of the run (warm-up included); null for the others.</li>
 *   <li>{@code rss_start_mib}: resident memory right after the process listened;
 *       {@code peak_rss_mib}: its peak over the whole run (VmHWM; nginx: master + workers).</li>
 * </ul>
 */
public record TargetResult(
        @JsonProperty("name") String name,
        @JsonProperty("concurrency") Integer concurrency,
        @JsonProperty("requests") long requests,
        @JsonProperty("rps") double rps,
        @JsonProperty("p50_ms") double p50Millis,
        @JsonProperty("p90_ms") double p90Millis,
        @JsonProperty("p99_ms") double p99Millis,
        @JsonProperty("p999_ms") Double p999Millis,
        @JsonProperty("cpu_us_per_request") Double cpuMicrosPerRequest,
        @JsonProperty("cpu_user_us_per_request") Double cpuUserMicrosPerRequest,
        @JsonProperty("cpu_sys_us_per_request") Double cpuSysMicrosPerRequest,
        @JsonProperty("origin_cpu_us_per_request") Double originCpuMicrosPerRequest,
        @JsonProperty("client_cpu_us_per_request") Double clientCpuMicrosPerRequest,
        @JsonProperty("errors") long errors,
        @JsonProperty("error_kinds") String errorKinds,
        @JsonProperty("round_rps") List<Double> roundRps,
        @JsonProperty("upstream_connections_opened") Long upstreamConnectionsOpened,
        @JsonProperty("proxy_connect_errors") Map<String, Long> proxyConnectErrors,
        @JsonProperty("rss_start_mib") Double rssStartMiB,
        @JsonProperty("peak_rss_mib") Double peakRssMiB,
        @JsonProperty("note") String note) {

    public static TargetResult skipped(String name, String note) {
        return new TargetResult(name, null, 0, 0, 0, 0, 0, null, null, null, null, null, null, 0, null, List.of(), null,
                null, null, null, note);
    }

    /** With the process's resident memory at start and at its peak, in MiB. */
    public TargetResult withMemory(Double startMiB, Double peakMiB) {
        return new TargetResult(name, concurrency, requests, rps, p50Millis, p90Millis, p99Millis, p999Millis,
                cpuMicrosPerRequest, cpuUserMicrosPerRequest, cpuSysMicrosPerRequest, originCpuMicrosPerRequest,
                clientCpuMicrosPerRequest, errors, errorKinds, roundRps, upstreamConnectionsOpened, proxyConnectErrors,
                startMiB, peakMiB, note);
    }

    public boolean ran() {
        return note == null;
    }

    /** "porter c=200", or the name alone when the concurrency is not known. */
    public String label() {
        return concurrency == null ? name : name + " c=" + concurrency;
    }
}

package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Memory one proxy spends per idle keep-alive client connection: its Rss and Pss (smaps_rollup,
 * summed over the process tree) before and after {@code connections} clients each sent one
 * request and then stayed connected and idle. {@code rss_start_kib}: resident memory after start,
 * before any request. Per-connection figures are the growth divided by the connections held.
 */
public record IdleResult(
        @JsonProperty("name") String name,
        @JsonProperty("connections") int connections,
        @JsonProperty("rss_start_kib") Long rssStartKiB,
        @JsonProperty("rss_before_kib") Long rssBeforeKiB,
        @JsonProperty("pss_before_kib") Long pssBeforeKiB,
        @JsonProperty("rss_after_kib") Long rssAfterKiB,
        @JsonProperty("pss_after_kib") Long pssAfterKiB,
        @JsonProperty("rss_per_connection_kib") Double rssPerConnectionKiB,
        @JsonProperty("pss_per_connection_kib") Double pssPerConnectionKiB,
        @JsonProperty("failures") Map<String, Long> failures,
        @JsonProperty("note") String note) {

    public static IdleResult skipped(String name, String note) {
        return new IdleResult(name, 0, null, null, null, null, null, null, null, Map.of(), note);
    }
}

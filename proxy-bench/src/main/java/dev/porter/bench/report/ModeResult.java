package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.porter.bench.tcp.TimelinePoint;

import java.util.List;
import java.util.Map;

/**
 * One mode of an incident scenario (e.g. {@code pool-off}): what the client saw and where
 * TIME_WAIT landed. Null means unknown (the proxy's /status did not say, or the socket table
 * could not be read); {@code note} says why a mode did not run.
 * {@code eaddrnotavail} is Porter's: its upstream connects that failed with EADDRNOTAVAIL, from
 * {@code /status} (in a direct mode, without Porter, the client's own). {@code client_eaddrnotavail}
 * is the load generator's connects to its target that failed so.
 *
 * <p>{@code concurrency}, {@code duration_s} and {@code setup} (Porter's upstream group, a held
 * backend) say what the mode ran (modes of
 * one run may differ); the {@code guard_*} fields are Porter's port budget guard read from
 * {@code /status} about once a second during the load ({@code guard_engaged}: in any reading),
 * null when Porter did not report one.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ModeResult(
        @JsonProperty("name") String name,
        @JsonProperty("requests") long requests,
        @JsonProperty("rps") double rps,
        @JsonProperty("status_2xx") long status2xx,
        @JsonProperty("status_4xx") long status4xx,
        @JsonProperty("status_5xx") long status5xx,
        @JsonProperty("eaddrnotavail") Long eaddrnotavail,
        @JsonProperty("client_eaddrnotavail") long clientEaddrnotavail,
        @JsonProperty("client_connect_errors") Map<String, Long> clientConnectErrors,
        @JsonProperty("client_io_errors") Map<String, Long> clientIoErrors,
        @JsonProperty("p50_ms") double p50Millis,
        @JsonProperty("p99_ms") double p99Millis,
        @JsonProperty("timewait_proxy_side_max") Integer timewaitProxySideMax,
        @JsonProperty("timewait_upstream_side_max") Integer timewaitUpstreamSideMax,
        @JsonProperty("timewait_client_leg_max") Integer timewaitClientLegMax,
        @JsonProperty("upstream_connections_opened") Long upstreamConnectionsOpened,
        @JsonProperty("proxy_connect_errors") Map<String, Long> proxyConnectErrors,
        @JsonProperty("note") String note,
        @JsonProperty("timeline") List<TimelinePoint> timeline,
        @JsonProperty("concurrency") Integer concurrency,
        @JsonProperty("duration_s") Double durationSeconds,
        @JsonProperty("setup") String setup,
        @JsonProperty("guard_engaged") Boolean guardEngaged,
        @JsonProperty("guard_engaged_share") Double guardEngagedShare,
        @JsonProperty("guard_threshold") String guardThreshold,
        @JsonProperty("ports_held_max") Integer portsHeldMax,
        @JsonProperty("port_budget") Integer portBudget,
        @JsonProperty("guard_timeline") List<GuardPoint> guardTimeline) {

    public ModeResult {
        timeline = timeline == null ? List.of() : timeline;
        guardTimeline = guardTimeline == null ? List.of() : guardTimeline;
    }

    /** A result without the run's shape and without guard readings. */
    public ModeResult(String name, long requests, double rps, long status2xx, long status4xx, long status5xx,
            Long eaddrnotavail, long clientEaddrnotavail, Map<String, Long> clientConnectErrors,
            Map<String, Long> clientIoErrors, double p50Millis, double p99Millis, Integer timewaitProxySideMax,
            Integer timewaitUpstreamSideMax, Integer timewaitClientLegMax, Long upstreamConnectionsOpened,
            Map<String, Long> proxyConnectErrors, String note, List<TimelinePoint> timeline) {
        this(name, requests, rps, status2xx, status4xx, status5xx, eaddrnotavail, clientEaddrnotavail,
                clientConnectErrors, clientIoErrors, p50Millis, p99Millis, timewaitProxySideMax, timewaitUpstreamSideMax,
                timewaitClientLegMax, upstreamConnectionsOpened, proxyConnectErrors, note, timeline, null, null, null,
                null, null, null, null, null, List.of());
    }

    /** A mode that could not run, with the reason. */
    public static ModeResult skipped(String name, String note) {
        return new ModeResult(name, 0, 0, 0, 0, 0, null, 0, Map.of(), Map.of(), 0, 0, null, null, null, null, null,
                note, List.of());
    }
}

package dev.porter.bench.tcp;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One sample of a run: seconds since the load started, requests completed so far, and
 * TIME_WAIT by side (null when the socket table could not be read).
 */
public record TimelinePoint(
        @JsonProperty("t_s") double seconds,
        @JsonProperty("requests") long requests,
        @JsonProperty("timewait_proxy_side") Integer proxySide,
        @JsonProperty("timewait_upstream_side") Integer upstreamSide,
        @JsonProperty("timewait_client_leg") Integer clientLeg) {
}

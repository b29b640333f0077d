package dev.porter.metrics;

import java.util.Map;

/**
 * One pool's counters at one moment (one worker, one upstream server), for /status and
 * /metrics. {@code keepaliveTarget} is how many idle connections the pool keeps now (with
 * {@code keepalive = auto}, the recent peak of requests in flight). {@code closedBy} keys:
 * proxy, upstream, reset. {@code closedReason} keys: the labels of
 * {@link dev.porter.close.CloseReason}. {@code connectErrors} keys: errno names, and the TLS
 * handshake failures of {@link dev.porter.tls.TlsFailures} (tls-certificate, tls-handshake,
 * tls-handshake-timeout).
 */
public record PoolSnapshot(int worker, String upstream, String server, int idle, int active, int peakActive,
                           int keepaliveTarget, long opened, long requests, long reusedRequests,
                           Map<String, Long> closedBy, Map<String, Long> closedReason,
                           long staleRetries, Map<String, Long> connectErrors) {
    public PoolSnapshot {
        closedBy = Map.copyOf(closedBy);
        closedReason = Map.copyOf(closedReason);
        connectErrors = Map.copyOf(connectErrors);
    }
}

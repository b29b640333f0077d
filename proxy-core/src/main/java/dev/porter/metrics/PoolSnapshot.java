package dev.porter.metrics;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;

import java.util.Map;

/**
 * One pool's counters at one moment (one worker, one upstream server), for /status and
 * /metrics. {@code keepaliveTarget} is how many idle connections the pool keeps now (with
 * {@code keepalive = auto}, the recent peak of requests in flight). {@code closedBy} and
 * {@code closedReason} have every constant of their enum as a key (0 when none closed so);
 * the views turn them into words. {@code connectErrors} keys: errno names, and the TLS
 * handshake failures of {@link dev.porter.tls.TlsFailures} (tls-certificate, tls-handshake,
 * tls-handshake-timeout).
 *
 * @param active        requests in flight: connections handed out (or being opened for a request) and not yet back
 * @param closing       connections retired whose close is not done yet (an upstream's FIN awaited, or
 *                      the close itself): still open, neither idle nor in flight
 * @param surplus       connections let go because the pool already held {@code keepalive} idle ones
 *                      (closed as pool-full, or ended by their next request when the upstream closes first)
 * @param closedBy      who sent the first FIN: the proxy, the upstream ({@link ClosedBy#UPSTREAM}), or an RST
 * @param tunnels       connections that are WebSocket tunnels now: out of the pool for good, open
 *                      (neither idle nor active, but counted against max-connections and max-conns)
 * @param tunnelsOpened connections that became tunnels since the pool was built
 */
public record PoolSnapshot(int worker, String upstream, String server, int idle, int active, int closing, int peakActive,
                           int keepaliveTarget, long opened, long requests, long reusedRequests, long surplus,
                           Map<ClosedBy, Long> closedBy, Map<CloseReason, Long> closedReason,
                           long staleRetries, Map<String, Long> connectErrors, int tunnels, long tunnelsOpened) {
    public PoolSnapshot {
        closedBy = Map.copyOf(closedBy);
        closedReason = Map.copyOf(closedReason);
        connectErrors = Map.copyOf(connectErrors);
    }
}

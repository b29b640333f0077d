package dev.porter.metrics;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Counters of one pool (one worker, one upstream server). Written only on the pool's event
 * loop and read there too, by {@link #snapshot} tasks that the status endpoint submits to
 * the loop: plain fields, no atomics on the hot path.
 */
public final class PoolStats {
    private long opened;
    private long requests;
    private long reusedRequests;
    private long staleRetries;
    private long tunnelsOpened;
    private long surplus;
    private final EnumMap<ClosedBy, Long> closedBy = new EnumMap<>(ClosedBy.class);
    private final EnumMap<CloseReason, Long> closedReason = new EnumMap<>(CloseReason.class);
    private final Map<String, Long> connectErrors = new HashMap<>();

    public void opened() {
        opened++;
    }

    public void request(boolean reused) {
        requests++;
        if (reused) {
            reusedRequests++;
        }
    }

    /** A connection of the pool became a WebSocket tunnel. */
    public void tunnelOpened() {
        tunnelsOpened++;
    }

    /**
     * A released connection found the pool already holding {@code keepalive} idle ones, so one
     * of them ends (closed as pool-full, or, when the upstream must close first, by the
     * Connection: close of its next request): the pool is smaller than the traffic.
     */
    public void surplus() {
        surplus++;
    }

    public void staleRetry() {
        staleRetries++;
    }

    public void closed(ClosedBy by, CloseReason reason) {
        closedBy.merge(by, 1L, Long::sum);
        closedReason.merge(reason, 1L, Long::sum);
    }

    public void connectError(String errno) {
        connectErrors.merge(errno, 1L, Long::sum);
    }

    /**
     * @param closing connections retired whose close is not done yet
     * @param tunnels connections that are WebSocket tunnels now
     */
    public PoolSnapshot snapshot(int worker, String upstream, String server, int idle, int active, int closing, int tunnels,
                                 int peakActive, int keepaliveTarget) {
        // Every key present, so that a reader never meets a missing count.
        EnumMap<ClosedBy, Long> by = new EnumMap<>(ClosedBy.class);
        for (ClosedBy c : ClosedBy.values()) {
            by.put(c, closedBy.getOrDefault(c, 0L));
        }
        EnumMap<CloseReason, Long> reasons = new EnumMap<>(CloseReason.class);
        for (CloseReason r : CloseReason.values()) {
            reasons.put(r, closedReason.getOrDefault(r, 0L));
        }
        return new PoolSnapshot(worker, upstream, server, idle, active, closing, peakActive, keepaliveTarget, opened, requests,
                reusedRequests, surplus, by, reasons, staleRetries, connectErrors, tunnels, tunnelsOpened);
    }
}

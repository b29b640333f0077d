package dev.porter.close;

/**
 * The two limits on an upstream connection's life, {@code keepalive-requests} and
 * {@code keepalive-time}, checked in one place: by the reuse policy when a response ends, by
 * the pool when it hands out an idle connection, and before a request is sent, to know whether
 * it is the connection's last (then, with the upstream closing first, it says Connection: close).
 *
 * @param maxRequests {@code keepalive-requests}
 * @param maxAgeNanos {@code keepalive-time}
 */
public record ConnectionLifetime(long maxRequests, long maxAgeNanos) {

    /**
     * Why a connection that served {@code requests} requests and is {@code ageNanos} old must not
     * serve another one, or null when it may.
     */
    public CloseReason over(long requests, long ageNanos) {
        if (requests >= maxRequests) {
            return CloseReason.KEEPALIVE_REQUESTS;
        }
        return ageNanos > maxAgeNanos ? CloseReason.KEEPALIVE_TIME : null;
    }
}

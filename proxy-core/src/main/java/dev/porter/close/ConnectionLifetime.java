package dev.porter.close;

import java.util.random.RandomGenerator;

/**
 * The two limits on an upstream connection's life, {@code keepalive-requests} and
 * {@code keepalive-time}, checked in one place: by the reuse policy when a response ends, by
 * the pool when it hands out an idle connection, and before a request is sent, to know whether
 * it is the connection's last (then, with the upstream closing first, it says Connection: close).
 *
 * <p>A pool holds the configured limits; each of its connections lives by its own
 * ({@link #forOneConnection}), up to a tenth shorter. Under steady load the connections of a pool
 * are opened together (at start, after a burst) and serve about as many requests each; with one
 * limit for all they would all retire within a few milliseconds, and the requests waiting on the
 * replacements would all pay for a burst of connects (measured: 200 at once, 40–85 ms for the
 * requests behind them, docs/bench/2026-12-03-legs). Limits spread over a tenth keep the
 * retirements apart, generation after generation. Only shorter: the configured value stays a
 * bound an operator can set below the upstream's own (Tomcat's {@code maxKeepAliveRequests}).
 *
 * @param maxRequests {@code keepalive-requests}
 * @param maxAgeNanos {@code keepalive-time}
 */
public record ConnectionLifetime(long maxRequests, long maxAgeNanos) {

    /**
     * The limits of one new connection: each at most the configured one and at least nine
     * tenths of it (limits under 10 requests stay as they are).
     */
    public ConnectionLifetime forOneConnection(RandomGenerator random) {
        return new ConnectionLifetime(maxRequests - random.nextLong(maxRequests / 10 + 1),
                maxAgeNanos - random.nextLong(maxAgeNanos / 10 + 1));
    }

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

package dev.porter.server;

import java.util.concurrent.TimeUnit;

/**
 * The listener's {@code rate-per-ip} / {@code rate-burst} for one client connection: each
 * request takes a token from its client address's {@link TokenBucket} (shared by all of that
 * address's connections, on every worker). The address's state comes from
 * {@link ClientLimitHandler}, which acquired it when the connection opened, so a request costs
 * one compare-and-set and no cache lookup. Present only when {@code rate-per-ip} is set.
 *
 * <p>Confined to the connection's event loop.
 */
final class ClientRateLimit {
    private final ListenerLimits limits;
    private final ClientLimitHandler connection;

    ClientRateLimit(ListenerLimits limits, ClientLimitHandler connection) {
        this.limits = limits;
        this.connection = connection;
    }

    /** Takes a token for one request; false when the address is over its rate. */
    boolean admit() {
        ListenerLimits.ClientAddress address = connection.clientAddress();
        if (address == null || address.bucket() == null) {
            return true; // not an IP connection (tests' embedded channels)
        }
        return address.bucket().tryAcquire(limits.now());
    }

    /** RFC 6585 §4: when a well-behaved client may come back. */
    long retryAfterSeconds() {
        TokenBucket bucket = connection.clientAddress().bucket();
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(bucket.nanosUntilToken(limits.now()) + 999_999_999L));
    }
}

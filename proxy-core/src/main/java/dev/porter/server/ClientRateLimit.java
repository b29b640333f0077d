package dev.porter.server;

import dev.porter.client.ClientAddress;

import java.util.concurrent.TimeUnit;

/**
 * The listener's {@code rate-per-ip} / {@code rate-burst} for one client connection: each
 * request takes a token from its client address's {@link TokenBucket} (shared by all of that
 * address's connections, on every worker). The address is the request's client address
 * ({@link ClientPeer}): the connection's (socket or PROXY), whose state {@link ClientLimitHandler}
 * acquired when the connection opened and left on the {@link ClientPeer}, so such a request costs
 * one compare-and-set and no cache lookup; or the real IP a trusted hop named
 * ({@code set-real-ip-from}), whose state is looked up per request. Present only when
 * {@code rate-per-ip} is set.
 *
 * <p>Confined to the connection's event loop.
 */
final class ClientRateLimit {
    private final ListenerLimits limits;
    private final ClientPeer peer;

    ClientRateLimit(ListenerLimits limits, ClientPeer peer) {
        this.limits = limits;
        this.peer = peer;
    }

    /** The bucket the request of {@code client} takes its token from; null when there is none (not an IP connection). */
    TokenBucket bucketFor(ClientAddress client) {
        ListenerLimits.AddressState state = client == client.peer() || client.ip() == null
                ? peer.addressState()
                // A client named by a trusted hop: not this connection's address, so looked up.
                : limits.state(client.ip());
        return state == null ? null : state.bucket();
    }

    /** Takes a token for one request; false when the address is over its rate. */
    boolean admit(TokenBucket bucket) {
        return bucket == null || bucket.tryAcquire(limits.now());
    }

    /** RFC 6585 §4: when a well-behaved client may come back. */
    long retryAfterSeconds(TokenBucket bucket) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(bucket.nanosUntilToken(limits.now()) + 999_999_999L));
    }
}

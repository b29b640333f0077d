package dev.porter.server;

import dev.porter.client.ClientAddress;
import dev.porter.client.RealIp;
import dev.porter.http.MessageHead;

import java.net.SocketAddress;

/**
 * The address of one client connection and of each of its requests. The connection's address
 * is its socket's peer until {@link ClientProxyProtocolHandler} replaces it with the source of
 * the PROXY header, which it does before the rest of the pipeline sees the connection become
 * active; from then on it does not change. A request's address is the connection's, or, with
 * the listener's {@link RealIp}, the one a trusted peer named in a header.
 *
 * <p>Made by {@link ClientChannelInitializer} for each connection and shared by its handlers
 * that name the client: {@link ClientLimitHandler} (per-IP connections, at admission, where it
 * leaves the address's per-IP state here), {@link ClientRateLimit} (per-IP rate, per request) and {@link ClientConnectionHandler} (forwarded
 * headers and the access log, through the exchange). Confined to the connection's event loop.
 */
final class ClientPeer {
    private final RealIp realIp;
    private ClientAddress address;
    /** The connection's address's per-IP state, when {@link ClientLimitHandler} admitted it under a per-IP limit. */
    private ListenerLimits.AddressState addressState;

    /** @param realIp the listener's trusted real-IP settings, or null when it has none */
    ClientPeer(SocketAddress socket, RealIp realIp) {
        this.address = ClientAddress.of(socket);
        this.realIp = realIp;
    }

    /** The connection's address: the socket's peer, or the PROXY header's source once it arrived. */
    ClientAddress address() {
        return address;
    }

    /** The per-IP state the connection's address was admitted under; null when the listener keeps none. Set once active. */
    ListenerLimits.AddressState addressState() {
        return addressState;
    }

    void admitted(ListenerLimits.AddressState state) {
        addressState = state;
    }

    /** The connection's PROXY header named its source. */
    void proxied(ClientAddress source) {
        address = source;
    }

    /**
     * The client address of {@code request}, a request that was parsed whole (one that could not
     * be names nobody: nginx runs realip only on a request it has read).
     */
    ClientAddress of(MessageHead request) {
        return realIp == null ? address : realIp.resolve(address, request::fields);
    }
}

package dev.porter.client;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a request came from, in the one form every part of Porter that names the client uses:
 * the address of the client ({@link #ip()}, {@link #text()}: what {@code X-Real-IP} carries,
 * what {@code rate-per-ip} counts and what the access log shows) and the address of the hop
 * that connected to Porter ({@link #peer()}: what {@code X-Forwarded-For} is appended with and
 * what {@code max-connections-per-ip} counts). The peer is the socket's address, or the source
 * address of the connection's PROXY protocol header; the client is the peer itself, or the
 * address a trusted peer named in a header ({@link RealIp}).
 *
 * <p>Immutable. The text form is made once (a connection's address serves all its requests):
 * IPv6 as RFC 5952 writes it ({@code ::1}), as nginx logs it.
 */
public final class ClientAddress {
    /** Null when the connection is not an IP one (an embedded or local channel in tests). */
    private final InetAddress ip;
    private final String text;
    private final ClientAddress peer;

    private ClientAddress(InetAddress ip, String text, ClientAddress peer) {
        this.ip = ip;
        this.text = text;
        this.peer = peer != null ? peer : this;
    }

    /** A connection's address: its own peer. */
    public static ClientAddress of(InetAddress ip) {
        return new ClientAddress(ip, NetUtil.toAddressString(ip), null);
    }

    /** A connection's address from its socket's remote address; any address that is not an IP one by its name. */
    public static ClientAddress of(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress a = inet.getAddress();
            return a != null ? of(a) : new ClientAddress(null, inet.getHostString(), null);
        }
        return new ClientAddress(null, String.valueOf(address), null);
    }

    /** The address {@code client}, named by this connection's (trusted) peer. */
    ClientAddress namedByPeer(InetAddress client) {
        return new ClientAddress(client, NetUtil.toAddressString(client), peer);
    }

    /** The client's IP address; null when the connection is not an IP one. */
    public InetAddress ip() {
        return ip;
    }

    /** The client's address as it is logged and sent upstream in {@code X-Real-IP}. */
    public String text() {
        return text;
    }

    /** The connection's address (socket or PROXY); this same object when the client is the peer. */
    public ClientAddress peer() {
        return peer;
    }

    @Override
    public String toString() {
        return peer == this ? text : text + " via " + peer.text;
    }
}

package dev.porter.tcp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One row of {@code /proc/net/tcp} or {@code /proc/net/tcp6}: a socket's local and remote
 * address and its state. A listening socket has a wildcard remote address with port 0.
 *
 * <p>Addresses are always resolved {@link java.net.InetAddress}es without host names, and an
 * IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is an {@link java.net.Inet4Address}, so a
 * socket compares equal to the IPv4 address in Porter's config whichever table it came from.
 *
 * <p>Immutable; usable from any thread.
 */
public record TcpSocket(InetSocketAddress local, InetSocketAddress remote, TcpState state) {
    public TcpSocket {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(state, "state");
    }
}

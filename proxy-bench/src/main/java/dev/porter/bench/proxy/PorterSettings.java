package dev.porter.bench.proxy;

import java.net.InetSocketAddress;

/**
 * The handful of Porter settings a scenario varies; everything else is reference.conf.
 *
 * @param listen            client listener (port 0 only for in-process Porter)
 * @param upstream          the backend
 * @param admin             admin listener, or null for none
 * @param keepalive         idle upstream connections per worker ({@code 0} = no pooling)
 * @param keepaliveRequests requests per upstream connection before Porter retires it
 * @param httpVersion       "1.1" or "1.0"
 * @param closeInitiator    proxy, upstream or reset
 */
public record PorterSettings(
        int workers,
        InetSocketAddress listen,
        InetSocketAddress upstream,
        InetSocketAddress admin,
        int keepalive,
        int keepaliveRequests,
        String httpVersion,
        String closeInitiator) {
}

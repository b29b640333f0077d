package dev.porter.bench.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * The handful of Porter settings a scenario varies; everything else is reference.conf.
 *
 * @param listen          client listener (port 0 only for in-process Porter; a wildcard address
 *                        listens on every local address)
 * @param upstream        the backend
 * @param admin           admin listener, or null for none
 * @param pool            the upstream group's pool keys, or null to write none (the shipped defaults)
 * @param sourceAddresses the group's {@code source-addresses}; empty = not written (the kernel's choice)
 * @param tls             the listener's certificate, or null for a plain HTTP listener
 */
public record PorterSettings(
        int workers,
        InetSocketAddress listen,
        InetSocketAddress upstream,
        InetSocketAddress admin,
        PoolKeys pool,
        List<String> sourceAddresses,
        BenchCertificate tls) {

    public PorterSettings {
        sourceAddresses = List.copyOf(Objects.requireNonNull(sourceAddresses, "sourceAddresses"));
    }

    /** Settings with a plain HTTP listener. */
    public PorterSettings(int workers, InetSocketAddress listen, InetSocketAddress upstream, InetSocketAddress admin,
            PoolKeys pool, List<String> sourceAddresses) {
        this(workers, listen, upstream, admin, pool, sourceAddresses, null);
    }

    /** These settings with a TLS listener serving {@code certificate}. */
    public PorterSettings withTls(BenchCertificate certificate) {
        return new PorterSettings(workers, listen, upstream, admin, pool, sourceAddresses, certificate);
    }

    /**
     * Settings with these pool keys and the shipped port budget guard.
     *
     * @param keepalive         idle upstream connections per worker ({@code 0} = no pooling)
     * @param keepaliveRequests requests per upstream connection before Porter retires it
     * @param httpVersion       "1.1" or "1.0"
     * @param closeInitiator    proxy, upstream or reset
     */
    public PorterSettings(int workers, InetSocketAddress listen, InetSocketAddress upstream, InetSocketAddress admin,
            int keepalive, int keepaliveRequests, String httpVersion, String closeInitiator) {
        this(workers, listen, upstream, admin, new PoolKeys(keepalive, keepaliveRequests, httpVersion, closeInitiator,
                null), List.of());
    }

    /** Settings that write no pool key: Porter runs with the pool its reference.conf ships. */
    public static PorterSettings shippedPool(int workers, InetSocketAddress listen, InetSocketAddress upstream,
            InetSocketAddress admin, List<String> sourceAddresses) {
        return new PorterSettings(workers, listen, upstream, admin, null, sourceAddresses);
    }
}

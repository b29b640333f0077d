package dev.porter.config;

import com.typesafe.config.ConfigOrigin;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One address Porter accepts client connections on, with its client-side limits and timeouts,
 * how it learns the client address (PROXY protocol, trusted real-IP header).
 * {@code tls} is null on a plain HTTP listener.
 */
public record ListenerConfig(
        InetSocketAddress address,
        Duration keepaliveTimeout,
        int keepaliveRequests,
        Duration clientHeaderTimeout,
        Duration clientBodyTimeout,
        Duration sendTimeout,
        int maxRequestLine,
        int maxHeaderSize,
        long maxBodySize,
        int maxConnections,
        int maxConnectionsPerIp,
        int ratePerIp,
        int rateBurst,
        CloseInitiator closeInitiator,
        Duration lingerTimeout,
        boolean reusePort,
        boolean proxyProtocol,
        Duration proxyProtocolTimeout,
        RealIpConfig realIp,
        ListenerTlsConfig tls) {

    public ListenerConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(closeInitiator, "closeInitiator");
        Objects.requireNonNull(realIp, "realIp");
    }

    /** The same listener with other TLS settings: a reload may change those, and only those. */
    public ListenerConfig withTls(ListenerTlsConfig newTls) {
        return new ListenerConfig(address, keepaliveTimeout, keepaliveRequests, clientHeaderTimeout, clientBodyTimeout,
                sendTimeout, maxRequestLine, maxHeaderSize, maxBodySize, maxConnections, maxConnectionsPerIp, ratePerIp,
                rateBurst, closeInitiator, lingerTimeout, reusePort, proxyProtocol, proxyProtocolTimeout, realIp, newTls);
    }

    /** @param tlsGiven where the operator wrote this listener's tls block, or null */
    static ListenerConfig from(ConfigReader r, ConfigOrigin tlsGiven) {
        ConfigReader tls = r.object("tls");
        return new ListenerConfig(
                r.address("address"),
                r.positiveDuration("keepalive-timeout"),
                r.integer("keepalive-requests", 1, Integer.MAX_VALUE),
                r.positiveDuration("client-header-timeout"),
                r.positiveDuration("client-body-timeout"),
                r.positiveDuration("send-timeout"),
                r.intBytes("max-request-line", 64, 1 << 20),
                r.intBytes("max-header-size", 256, 1 << 20),
                r.bytes("max-body-size", 0, Long.MAX_VALUE),
                r.integer("max-connections", 0, 10_000_000),
                r.integer("max-connections-per-ip", 0, 10_000_000),
                r.integer("rate-per-ip", 0, 1_000_000),
                r.integer("rate-burst", 0, 1_000_000),
                r.enumValue("close-initiator", CloseInitiator.class, v -> CloseInitiator.parse(v, "client"), "proxy, client, reset"),
                r.positiveDuration("linger-timeout"),
                r.bool("reuse-port"),
                r.bool("proxy-protocol"),
                r.positiveDuration("proxy-protocol-timeout"),
                RealIpConfig.from(r),
                tls != null ? ListenerTlsConfig.from(tls, tlsGiven) : null);
    }
}

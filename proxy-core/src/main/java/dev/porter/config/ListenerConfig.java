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
        return toBuilder().tls(newTls).build();
    }

    /** A plain HTTP listener on {@code address} with every other setting as reference.conf has it. */
    public static Builder builder(InetSocketAddress address) {
        return ConfigDefaults.LISTENER.toBuilder().address(address);
    }

    /** A builder that starts from this listener's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a listener in code (tests, the bench) instead of HOCON. The values are not
     * range-checked here: that is {@link ConfigLoader}'s job for the operator's file, and the
     * caller of a builder is a program.
     */
    public static final class Builder {
        private InetSocketAddress address;
        private Duration keepaliveTimeout;
        private int keepaliveRequests;
        private Duration clientHeaderTimeout;
        private Duration clientBodyTimeout;
        private Duration sendTimeout;
        private int maxRequestLine;
        private int maxHeaderSize;
        private long maxBodySize;
        private int maxConnections;
        private int maxConnectionsPerIp;
        private int ratePerIp;
        private int rateBurst;
        private CloseInitiator closeInitiator;
        private Duration lingerTimeout;
        private boolean reusePort;
        private boolean proxyProtocol;
        private Duration proxyProtocolTimeout;
        private RealIpConfig realIp;
        private ListenerTlsConfig tls;

        private Builder(ListenerConfig from) {
            address = from.address;
            keepaliveTimeout = from.keepaliveTimeout;
            keepaliveRequests = from.keepaliveRequests;
            clientHeaderTimeout = from.clientHeaderTimeout;
            clientBodyTimeout = from.clientBodyTimeout;
            sendTimeout = from.sendTimeout;
            maxRequestLine = from.maxRequestLine;
            maxHeaderSize = from.maxHeaderSize;
            maxBodySize = from.maxBodySize;
            maxConnections = from.maxConnections;
            maxConnectionsPerIp = from.maxConnectionsPerIp;
            ratePerIp = from.ratePerIp;
            rateBurst = from.rateBurst;
            closeInitiator = from.closeInitiator;
            lingerTimeout = from.lingerTimeout;
            reusePort = from.reusePort;
            proxyProtocol = from.proxyProtocol;
            proxyProtocolTimeout = from.proxyProtocolTimeout;
            realIp = from.realIp;
            tls = from.tls;
        }

        public Builder address(InetSocketAddress v) {
            address = v;
            return this;
        }

        public Builder keepaliveTimeout(Duration v) {
            keepaliveTimeout = v;
            return this;
        }

        public Builder keepaliveRequests(int v) {
            keepaliveRequests = v;
            return this;
        }

        public Builder clientHeaderTimeout(Duration v) {
            clientHeaderTimeout = v;
            return this;
        }

        public Builder clientBodyTimeout(Duration v) {
            clientBodyTimeout = v;
            return this;
        }

        public Builder sendTimeout(Duration v) {
            sendTimeout = v;
            return this;
        }

        public Builder maxRequestLine(int v) {
            maxRequestLine = v;
            return this;
        }

        public Builder maxHeaderSize(int v) {
            maxHeaderSize = v;
            return this;
        }

        public Builder maxBodySize(long v) {
            maxBodySize = v;
            return this;
        }

        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder maxConnectionsPerIp(int v) {
            maxConnectionsPerIp = v;
            return this;
        }

        public Builder ratePerIp(int v) {
            ratePerIp = v;
            return this;
        }

        public Builder rateBurst(int v) {
            rateBurst = v;
            return this;
        }

        /** {@link CloseInitiator#PEER} is "client" on this leg. */
        public Builder closeInitiator(CloseInitiator v) {
            closeInitiator = v;
            return this;
        }

        public Builder lingerTimeout(Duration v) {
            lingerTimeout = v;
            return this;
        }

        public Builder reusePort(boolean v) {
            reusePort = v;
            return this;
        }

        public Builder proxyProtocol(boolean v) {
            proxyProtocol = v;
            return this;
        }

        public Builder proxyProtocolTimeout(Duration v) {
            proxyProtocolTimeout = v;
            return this;
        }

        public Builder realIp(RealIpConfig v) {
            realIp = v;
            return this;
        }

        /** @param v the TLS settings, or null for plain HTTP */
        public Builder tls(ListenerTlsConfig v) {
            tls = v;
            return this;
        }

        public ListenerConfig build() {
            return new ListenerConfig(address, keepaliveTimeout, keepaliveRequests, clientHeaderTimeout,
                    clientBodyTimeout, sendTimeout, maxRequestLine, maxHeaderSize, maxBodySize, maxConnections,
                    maxConnectionsPerIp, ratePerIp, rateBurst, closeInitiator, lingerTimeout, reusePort, proxyProtocol,
                    proxyProtocolTimeout, realIp, tls);
        }
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

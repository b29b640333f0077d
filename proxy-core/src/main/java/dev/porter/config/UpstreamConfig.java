package dev.porter.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An upstream group: its servers and how Porter pools and times connections to them.
 * Keys and meanings follow nginx's upstream and proxy modules.
 */
public record UpstreamConfig(
        String name,
        List<ServerConfig> servers,
        Balance balance,
        Keepalive keepalive,
        Duration keepaliveWindow,
        int keepaliveRequests,
        Duration keepaliveTimeout,
        Duration keepaliveTime,
        int maxConnections,
        int queue,
        Duration queueTimeout,
        Duration connectTimeout,
        Duration readTimeout,
        Duration sendTimeout,
        Duration tunnelTimeout,
        UpstreamHttpVersion httpVersion,
        CloseInitiator closeInitiator,
        Set<NextUpstream> nextUpstream,
        int nextUpstreamTries,
        Duration nextUpstreamTimeout,
        int portBudgetGuard,
        List<InetAddress> sourceAddresses,
        UpstreamTlsConfig tls) {

    public UpstreamConfig {
        Objects.requireNonNull(name, "name");
        servers = List.copyOf(servers);
        nextUpstream = nextUpstream.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(nextUpstream));
        Objects.requireNonNull(keepalive, "keepalive");
        sourceAddresses = List.copyOf(sourceAddresses);
        Objects.requireNonNull(tls, "tls");
    }

    /** Whether connections to this group may be kept and reused at all. */
    public boolean pooling() {
        return keepalive.pooling() && httpVersion == UpstreamHttpVersion.HTTP_1_1;
    }

    /** Tries over all servers for one request. */
    public int effectiveTries() {
        return nextUpstreamTries > 0 ? nextUpstreamTries : Math.max(1, servers.size());
    }

    /**
     * A group named {@code name}, without servers yet, with every other setting as
     * reference.conf's {@code upstream-defaults} has it.
     */
    public static Builder builder(String name) {
        return ConfigDefaults.UPSTREAM.toBuilder().name(name).servers(List.of());
    }

    /** A builder that starts from this group's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a group in code (tests, the bench) instead of HOCON. The values are not
     * range-checked here (nor that there is a server): that is {@link ConfigLoader}'s job for
     * the operator's file, and the caller of a builder is a program.
     */
    public static final class Builder {
        private String name;
        private final List<ServerConfig> servers;
        private Balance balance;
        private Keepalive keepalive;
        private Duration keepaliveWindow;
        private int keepaliveRequests;
        private Duration keepaliveTimeout;
        private Duration keepaliveTime;
        private int maxConnections;
        private int queue;
        private Duration queueTimeout;
        private Duration connectTimeout;
        private Duration readTimeout;
        private Duration sendTimeout;
        private Duration tunnelTimeout;
        private UpstreamHttpVersion httpVersion;
        private CloseInitiator closeInitiator;
        private Set<NextUpstream> nextUpstream;
        private int nextUpstreamTries;
        private Duration nextUpstreamTimeout;
        private int portBudgetGuard;
        private List<InetAddress> sourceAddresses;
        private UpstreamTlsConfig tls;

        private Builder(UpstreamConfig from) {
            name = from.name;
            servers = new ArrayList<>(from.servers);
            balance = from.balance;
            keepalive = from.keepalive;
            keepaliveWindow = from.keepaliveWindow;
            keepaliveRequests = from.keepaliveRequests;
            keepaliveTimeout = from.keepaliveTimeout;
            keepaliveTime = from.keepaliveTime;
            maxConnections = from.maxConnections;
            queue = from.queue;
            queueTimeout = from.queueTimeout;
            connectTimeout = from.connectTimeout;
            readTimeout = from.readTimeout;
            sendTimeout = from.sendTimeout;
            tunnelTimeout = from.tunnelTimeout;
            httpVersion = from.httpVersion;
            closeInitiator = from.closeInitiator;
            nextUpstream = from.nextUpstream;
            nextUpstreamTries = from.nextUpstreamTries;
            nextUpstreamTimeout = from.nextUpstreamTimeout;
            portBudgetGuard = from.portBudgetGuard;
            sourceAddresses = from.sourceAddresses;
            tls = from.tls;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        /** Adds a server. */
        public Builder server(ServerConfig v) {
            servers.add(v);
            return this;
        }

        /** Adds a server at {@code address} with the defaults of {@code server-defaults}. */
        public Builder server(InetSocketAddress address) {
            return server(ServerConfig.builder(address).build());
        }

        /** Replaces the servers. */
        public Builder servers(List<ServerConfig> v) {
            servers.clear();
            servers.addAll(v);
            return this;
        }

        public Builder balance(Balance v) {
            balance = v;
            return this;
        }

        public Builder keepalive(Keepalive v) {
            keepalive = v;
            return this;
        }

        /** A fixed number of idle connections per worker per server ({@code 0}: no pooling). */
        public Builder keepalive(int v) {
            keepalive = Keepalive.of(v);
            return this;
        }

        public Builder keepaliveWindow(Duration v) {
            keepaliveWindow = v;
            return this;
        }

        public Builder keepaliveRequests(int v) {
            keepaliveRequests = v;
            return this;
        }

        public Builder keepaliveTimeout(Duration v) {
            keepaliveTimeout = v;
            return this;
        }

        public Builder keepaliveTime(Duration v) {
            keepaliveTime = v;
            return this;
        }

        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder queue(int v) {
            queue = v;
            return this;
        }

        public Builder queueTimeout(Duration v) {
            queueTimeout = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder readTimeout(Duration v) {
            readTimeout = v;
            return this;
        }

        public Builder sendTimeout(Duration v) {
            sendTimeout = v;
            return this;
        }

        /** Idle time of a WebSocket tunnel (HAProxy's timeout tunnel). */
        public Builder tunnelTimeout(Duration v) {
            tunnelTimeout = v;
            return this;
        }

        public Builder httpVersion(UpstreamHttpVersion v) {
            httpVersion = v;
            return this;
        }

        /** {@link CloseInitiator#PEER} is "upstream" on this leg. */
        public Builder closeInitiator(CloseInitiator v) {
            closeInitiator = v;
            return this;
        }

        public Builder nextUpstream(Set<NextUpstream> v) {
            nextUpstream = v;
            return this;
        }

        public Builder nextUpstreamTries(int v) {
            nextUpstreamTries = v;
            return this;
        }

        public Builder nextUpstreamTimeout(Duration v) {
            nextUpstreamTimeout = v;
            return this;
        }

        /** @param v the percentage of the port budget at which the guard engages; 0 = off */
        public Builder portBudgetGuard(int v) {
            portBudgetGuard = v;
            return this;
        }

        public Builder sourceAddresses(List<InetAddress> v) {
            sourceAddresses = v;
            return this;
        }

        public Builder tls(UpstreamTlsConfig v) {
            tls = v;
            return this;
        }

        public UpstreamConfig build() {
            return new UpstreamConfig(name, servers, balance, keepalive, keepaliveWindow, keepaliveRequests,
                    keepaliveTimeout, keepaliveTime, maxConnections, queue, queueTimeout, connectTimeout, readTimeout,
                    sendTimeout, tunnelTimeout, httpVersion, closeInitiator, nextUpstream, nextUpstreamTries, nextUpstreamTimeout,
                    portBudgetGuard, sourceAddresses, tls);
        }
    }

    static UpstreamConfig from(String name, ConfigReader r) {
        List<ServerConfig> servers = ConfigReader.mapList(r.configList("servers"),
                c -> ServerConfig.from(r.child("servers[]", c)));
        if (servers.isEmpty()) {
            r.problem("servers", "needs at least one server");
        }
        EnumSet<NextUpstream> next = EnumSet.noneOf(NextUpstream.class);
        for (String s : r.stringList("next-upstream")) {
            NextUpstream n = NextUpstream.parse(s);
            if (n == null) {
                r.problem("next-upstream", "unknown condition \"" + s + "\"; allowed: error, timeout, http_502, http_503, http_504");
            } else {
                next.add(n);
            }
        }
        ConfigReader tlsReader = r.object("tls");
        return new UpstreamConfig(
                name,
                servers,
                r.enumValue("balance", Balance.class, Balance::parse, "round-robin, least-conn"),
                r.keepalive("keepalive"),
                r.positiveDuration("keepalive-window"),
                r.integer("keepalive-requests", 1, Integer.MAX_VALUE),
                r.positiveDuration("keepalive-timeout"),
                r.positiveDuration("keepalive-time"),
                r.integer("max-connections", 0, 1_000_000),
                r.integer("queue", 0, 1_000_000),
                r.duration("queue-timeout"),
                r.positiveDuration("connect-timeout"),
                r.positiveDuration("read-timeout"),
                r.positiveDuration("send-timeout"),
                r.positiveDuration("tunnel-timeout"),
                r.enumValue("http-version", UpstreamHttpVersion.class, UpstreamHttpVersion::parse, "\"1.1\", \"1.0\""),
                r.enumValue("close-initiator", CloseInitiator.class, v -> CloseInitiator.parse(v, "upstream"), "proxy, upstream, reset"),
                next,
                r.integer("next-upstream-tries", 0, 100),
                r.duration("next-upstream-timeout"),
                r.percent("port-budget-guard"),
                r.ipAddresses("source-addresses"),
                tlsReader != null ? UpstreamTlsConfig.from(tlsReader)
                        : new UpstreamTlsConfig(false, List.of(), "", true, List.of()));
    }
}

package dev.porter.config;

import java.net.InetAddress;
import java.time.Duration;
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

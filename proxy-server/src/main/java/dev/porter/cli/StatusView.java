package dev.porter.cli;

import dev.porter.Porter;
import dev.porter.config.ProxyConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.StatusSnapshot;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON document of {@code GET /status}: version, uptime, listeners, the upstream groups as
 * configured, and every worker's client and pool counters from {@link Porter#status()}.
 */
record StatusView(
        String version,
        String started,
        long uptimeSeconds,
        int workers,
        List<String> listeners,
        Map<String, Upstream> upstreams,
        String at,
        List<ClientSnapshot> clients,
        List<PoolSnapshot> pools) {

    record Upstream(List<String> servers, int keepalive, int keepaliveRequests, String keepaliveTimeout,
                    String httpVersion, String closeInitiator) {
    }

    static StatusView of(Porter porter, Instant started, StatusSnapshot snapshot) {
        ProxyConfig config = porter.config();
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        config.upstreams().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> upstreams.put(e.getKey(), upstream(e.getValue())));
        return new StatusView(
                PorterVersion.get(),
                // A string: jackson-databind alone refuses java.time types.
                started.toString(),
                Duration.between(started, snapshot.at()).toSeconds(),
                config.workers(),
                porter.listenAddresses().stream().map(StatusView::hostPort).toList(),
                upstreams,
                snapshot.at().toString(),
                snapshot.clients(),
                snapshot.pools());
    }

    private static Upstream upstream(UpstreamConfig u) {
        return new Upstream(
                u.servers().stream().map(ServerConfig::name).toList(),
                u.keepalive(),
                u.keepaliveRequests(),
                u.keepaliveTimeout().toString(),
                u.httpVersion().toString(),
                u.closeInitiator().toString());
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}

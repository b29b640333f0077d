package dev.porter.cli;

import dev.porter.Porter;
import dev.porter.config.ProxyConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON document of {@code GET /status}, built from what the {@link Porter} facade exposes
 * today: version, uptime, listeners and the upstream groups as configured. Per-worker pool
 * state belongs here once proxy-core offers it.
 */
record StatusView(
        String version,
        String started,
        long uptimeSeconds,
        int workers,
        List<String> listeners,
        Map<String, Upstream> upstreams) {

    record Upstream(List<String> servers, int keepalive, int keepaliveRequests, String keepaliveTimeout,
                    String httpVersion, String closeInitiator) {
    }

    static StatusView of(Porter porter, Instant started, Instant now) {
        ProxyConfig config = porter.config();
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        config.upstreams().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> upstreams.put(e.getKey(), upstream(e.getValue())));
        return new StatusView(
                PorterVersion.get(),
                // A string: jackson-databind alone refuses java.time types.
                started.toString(),
                Duration.between(started, now).toSeconds(),
                config.workers(),
                porter.listenAddresses().stream().map(StatusView::hostPort).toList(),
                upstreams);
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

package dev.porter.config;

import io.netty.channel.WriteBufferWaterMark;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole of Porter's configuration, immutable, built once by {@link ConfigLoader}.
 * A reload builds a new one off the event loops and swaps it in.
 */
public record ProxyConfig(
        int workers,
        List<ListenerConfig> listeners,
        Map<String, UpstreamConfig> upstreams,
        List<RouteConfig> routes,
        WriteBufferWaterMark writeBuffer,
        AdminConfig admin,
        AccessLogConfig accessLog,
        Duration shutdownTimeout) {

    public ProxyConfig {
        listeners = List.copyOf(listeners);
        // Keeps the file's order, for /status and for "the first upstream" in the demo.
        upstreams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(upstreams));
        routes = List.copyOf(routes);
        Objects.requireNonNull(writeBuffer, "writeBuffer");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }
}

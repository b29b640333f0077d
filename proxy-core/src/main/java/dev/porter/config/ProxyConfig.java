package dev.porter.config;

import io.netty.channel.WriteBufferWaterMark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole of Porter's configuration, immutable, built once by {@link ConfigLoader}.
 * A reload builds a new one off the event loops and swaps it in. Tests and the bench build
 * one in code with {@link #builder()}.
 */
public record ProxyConfig(
        int workers,
        TransportChoice transport,
        List<ListenerConfig> listeners,
        Map<String, UpstreamConfig> upstreams,
        List<RouteConfig> routes,
        WriteBufferWaterMark writeBuffer,
        AdminConfig admin,
        AccessLogConfig accessLog,
        Duration shutdownTimeout) {

    public ProxyConfig {
        Objects.requireNonNull(transport, "transport");
        listeners = List.copyOf(listeners);
        // Keeps the file's order, for /status and for "the first upstream" in the demo.
        upstreams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(upstreams));
        routes = List.copyOf(routes);
        Objects.requireNonNull(writeBuffer, "writeBuffer");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    /**
     * A configuration without listeners, upstreams or routes yet, and every other setting as
     * reference.conf has it (workers = auto: the cores; the admin listener on).
     */
    public static Builder builder() {
        return ConfigDefaults.PROXY.toBuilder().listeners(List.of()).upstreams(List.of()).routes(List.of());
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a configuration in code (tests, the bench) instead of HOCON, from records that
     * their own builders make. Nothing is checked here (not even that a route names a group):
     * that is {@link ConfigLoader}'s job for the operator's file, and the caller of a builder
     * is a program.
     */
    public static final class Builder {
        private int workers;
        private TransportChoice transport;
        private final List<ListenerConfig> listeners;
        private final Map<String, UpstreamConfig> upstreams;
        private final List<RouteConfig> routes;
        private WriteBufferWaterMark writeBuffer;
        private AdminConfig admin;
        private AccessLogConfig accessLog;
        private Duration shutdownTimeout;

        private Builder(ProxyConfig from) {
            workers = from.workers;
            transport = from.transport;
            listeners = new ArrayList<>(from.listeners);
            upstreams = new LinkedHashMap<>(from.upstreams);
            routes = new ArrayList<>(from.routes);
            writeBuffer = from.writeBuffer;
            admin = from.admin;
            accessLog = from.accessLog;
            shutdownTimeout = from.shutdownTimeout;
        }

        public Builder workers(int v) {
            workers = v;
            return this;
        }

        public Builder transport(TransportChoice v) {
            transport = v;
            return this;
        }

        /** Adds a listener. */
        public Builder listener(ListenerConfig v) {
            listeners.add(v);
            return this;
        }

        /** Replaces the listeners. */
        public Builder listeners(List<ListenerConfig> v) {
            listeners.clear();
            listeners.addAll(v);
            return this;
        }

        /** Adds a group, or replaces the one of the same name. */
        public Builder upstream(UpstreamConfig v) {
            upstreams.put(v.name(), v);
            return this;
        }

        /** Replaces the groups. */
        public Builder upstreams(List<UpstreamConfig> v) {
            upstreams.clear();
            v.forEach(this::upstream);
            return this;
        }

        /** Adds a route. */
        public Builder route(RouteConfig v) {
            routes.add(v);
            return this;
        }

        /** Replaces the routes. */
        public Builder routes(List<RouteConfig> v) {
            routes.clear();
            routes.addAll(v);
            return this;
        }

        public Builder writeBuffer(WriteBufferWaterMark v) {
            writeBuffer = v;
            return this;
        }

        public Builder admin(AdminConfig v) {
            admin = v;
            return this;
        }

        public Builder accessLog(AccessLogConfig v) {
            accessLog = v;
            return this;
        }

        public Builder shutdownTimeout(Duration v) {
            shutdownTimeout = v;
            return this;
        }

        public ProxyConfig build() {
            return new ProxyConfig(workers, transport, listeners, upstreams, routes, writeBuffer, admin, accessLog, shutdownTimeout);
        }
    }
}

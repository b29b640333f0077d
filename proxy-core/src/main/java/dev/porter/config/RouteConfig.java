package dev.porter.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends requests whose Host and path match to an upstream group.
 *
 * @param host          Host to match, without port, lower case; empty matches any host
 * @param pathPrefix    the request path must start with it
 * @param upstream      the group's name
 * @param setHeaders    headers set on the upstream request (replacing any the client sent)
 * @param removeHeaders headers removed from the upstream request
 */
public record RouteConfig(String host, String pathPrefix, String upstream,
                          Map<String, String> setHeaders, List<String> removeHeaders) {
    public RouteConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(upstream, "upstream");
        setHeaders = Map.copyOf(setHeaders);
        removeHeaders = List.copyOf(removeHeaders);
    }

    /** A route to the group {@code upstream} with every other setting as reference.conf has it (any host, "/"). */
    public static Builder builder(String upstream) {
        return ConfigDefaults.ROUTE.toBuilder().upstream(upstream);
    }

    /** A builder that starts from this route's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a route in code (tests, the bench) instead of HOCON; nothing is checked here. */
    public static final class Builder {
        private String host;
        private String pathPrefix;
        private String upstream;
        private final Map<String, String> setHeaders;
        private final List<String> removeHeaders;

        private Builder(RouteConfig from) {
            host = from.host;
            pathPrefix = from.pathPrefix;
            upstream = from.upstream;
            setHeaders = new LinkedHashMap<>(from.setHeaders);
            removeHeaders = new ArrayList<>(from.removeHeaders);
        }

        /** @param v the Host to match, lower case and without port; empty matches any */
        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder pathPrefix(String v) {
            pathPrefix = v;
            return this;
        }

        public Builder upstream(String v) {
            upstream = v;
            return this;
        }

        public Builder setHeader(String name, String value) {
            setHeaders.put(name, value);
            return this;
        }

        public Builder removeHeader(String name) {
            removeHeaders.add(name);
            return this;
        }

        public RouteConfig build() {
            return new RouteConfig(host, pathPrefix, upstream, setHeaders, removeHeaders);
        }
    }

    static RouteConfig from(ConfigReader r) {
        String prefix = r.string("path-prefix");
        if (!prefix.startsWith("/")) {
            r.problem("path-prefix", "must start with /, was \"" + prefix + "\"");
        }
        String upstream = r.string("upstream");
        if (upstream.isEmpty()) {
            r.problem("upstream", "is required: the name of a group in porter.upstreams");
        }
        return new RouteConfig(r.string("host").trim().toLowerCase(java.util.Locale.ROOT), prefix, upstream,
                r.stringMap("set-headers"), r.stringList("remove-headers"));
    }
}

package dev.porter.config;

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

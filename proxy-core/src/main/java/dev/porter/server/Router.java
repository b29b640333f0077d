package dev.porter.server;

import dev.porter.config.RouteConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Picks the route for a request from its Host and path: among routes whose host matches
 * (an empty host matches any), the longest path prefix wins, and routes naming a host win
 * over those that do not. The order is fixed once, when the configuration is built.
 */
final class Router {
    private final List<RouteConfig> routes;
    /** Some route names a host. */
    private final boolean byHost;

    Router(List<RouteConfig> routes) {
        List<RouteConfig> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparing((RouteConfig r) -> r.host().isEmpty())
                .thenComparing(r -> -r.pathPrefix().length()));
        this.routes = List.copyOf(sorted);
        this.byHost = sorted.stream().anyMatch(r -> !r.host().isEmpty());
    }

    /** The route, or null when none matches (the client gets 404). */
    RouteConfig route(String hostHeader, String uri) {
        // Without a route by host, as in most configurations, the Host is not looked at.
        String host = byHost ? hostWithoutPort(hostHeader) : "";
        String path = path(uri);
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            if ((r.host().isEmpty() || r.host().equals(host)) && path.startsWith(r.pathPrefix())) {
                return r;
            }
        }
        return null;
    }

    static String hostWithoutPort(String host) {
        if (host == null) {
            return "";
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close > 0 ? h.substring(0, close + 1) : h;
        }
        int colon = h.indexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }

    /** The path of an origin-form or absolute-form target, without query. */
    static String path(String uri) {
        String u = uri;
        int scheme = u.indexOf("://");
        if (scheme > 0 && scheme < 8) {
            int slash = u.indexOf('/', scheme + 3);
            u = slash >= 0 ? u.substring(slash) : "/";
        }
        int q = u.indexOf('?');
        return q >= 0 ? u.substring(0, q) : u;
    }
}

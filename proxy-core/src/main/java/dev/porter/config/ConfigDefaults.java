package dev.porter.config;

/**
 * reference.conf's defaults as records, where the builders ({@link ProxyConfig#builder()},
 * {@link UpstreamConfig#builder(String)} and the others) start from: a minimal configuration
 * (one listener, one group with one server, one route, each with only the keys that have no
 * default) loaded once through {@link ConfigLoader}, so that every default is read from
 * reference.conf and none is written again in Java. The builders replace what the minimal
 * configuration had to name (addresses, the group's name and servers, the route's group).
 *
 * <p>Loaded on first use (class initialization: once, safely published); immutable, usable
 * from any thread. Loading parses HOCON: never first touched on an event loop in production,
 * where configurations come from {@link ConfigLoader} itself.
 */
final class ConfigDefaults {
    private static final String GROUP = "defaults";
    private static final String MINIMAL = """
            porter {
              listeners = [ { address = "127.0.0.1:0" } ]
              upstreams { %s { servers = [ { address = "127.0.0.1:1" } ] } }
              routes = [ { upstream = %s } ]
            }
            """.formatted(GROUP, GROUP);

    static final ProxyConfig PROXY = ConfigLoader.parse(MINIMAL, "reference.conf defaults");
    static final ListenerConfig LISTENER = PROXY.listeners().get(0);
    static final UpstreamConfig UPSTREAM = PROXY.upstreams().get(GROUP);
    static final ServerConfig SERVER = UPSTREAM.servers().get(0);
    static final RouteConfig ROUTE = PROXY.routes().get(0);

    private ConfigDefaults() {
    }
}

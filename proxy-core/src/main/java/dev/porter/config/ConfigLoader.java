package dev.porter.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.netty.channel.WriteBufferWaterMark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an operator's HOCON file over {@code reference.conf} into a {@link ProxyConfig}.
 *
 * <p>Every problem is collected and reported together, each with file, line and key; the
 * result is either a complete, valid configuration or an {@link InvalidConfigException}.
 * Parsing does blocking I/O and DNS lookups: call it from {@code main} or a reload thread,
 * never from an event loop.
 */
public final class ConfigLoader {
    private static final String ROOT = "porter";

    private ConfigLoader() {
    }

    /** Loads a file; {@code include}s are resolved relative to it, `${?ENV}` from the environment. */
    public static ProxyConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(List.of(file + ": no such file"));
        }
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(e.getMessage()));
        }
        return build(parsed);
    }

    /** Parses configuration text; {@code originDescription} names it in error messages. */
    public static ProxyConfig parse(String text, String originDescription) {
        Config parsed;
        try {
            parsed = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(originDescription));
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(e.getMessage()));
        }
        return build(parsed);
    }

    private static ProxyConfig build(Config file) {
        Config reference = ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader());
        Config merged;
        try {
            merged = file.withFallback(reference).resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(e.getMessage()));
        }
        ConfigProblems problems = new ConfigProblems();
        ConfigObject template = reference.root();
        for (Map.Entry<String, ConfigValue> e : file.root().entrySet()) {
            if (!e.getKey().equals(ROOT)) {
                problems.add(e.getValue().origin(), e.getKey(), "unknown key (Porter's settings live under \"porter\")");
            }
        }
        ConfigValue given = file.root().get(ROOT);
        if (given != null && given.valueType() == ConfigValueType.OBJECT) {
            UnknownKeys.check((ConfigObject) given, (ConfigObject) template.get(ROOT), ROOT + ".", problems);
        }
        ProxyConfig config = read(new ConfigReader(merged.getConfig(ROOT), ROOT + ".", problems), problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems.asList());
        }
        return config;
    }

    private static ProxyConfig read(ConfigReader porter, ConfigProblems problems) {
        Config root = porter.config();
        ConfigObject listenerTemplate = root.getObject("listener-defaults");
        ConfigObject upstreamTemplate = root.getObject("upstream-defaults");
        ConfigObject serverTemplate = root.getObject("server-defaults");
        ConfigObject routeTemplate = root.getObject("route-defaults");

        List<ListenerConfig> listeners = new ArrayList<>();
        for (Config c : porter.configList("listeners")) {
            UnknownKeys.check(c.root(), listenerTemplate, "porter.listeners[].", problems);
            listeners.add(ListenerConfig.from(porter.child("listeners[]", c.withFallback(listenerTemplate)),
                    c.hasPath("tls") ? c.getValue("tls").origin() : null));
        }
        if (listeners.isEmpty()) {
            porter.problem("listeners", "needs at least one listener, e.g. [ { address = \"127.0.0.1:8000\" } ]");
        }

        Map<String, UpstreamConfig> upstreams = new LinkedHashMap<>();
        ConfigReader upstreamsReader = porter.object("upstreams");
        if (upstreamsReader != null) {
            for (Map.Entry<String, ConfigValue> e : upstreamsReader.config().root().entrySet()) {
                String name = e.getKey();
                if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                    problems.add(e.getValue().origin(), "porter.upstreams." + name, "must be an object with servers = [...]");
                    continue;
                }
                ConfigObject given = (ConfigObject) e.getValue();
                String prefix = "porter.upstreams." + name;
                UnknownKeys.check(given, upstreamTemplate, prefix + ".", problems);
                Config merged = given.toConfig().withFallback(upstreamTemplate);
                List<Config> servers = new ArrayList<>();
                for (Config s : readerFor(merged, prefix, problems).configList("servers")) {
                    UnknownKeys.check(s.root(), serverTemplate, prefix + ".servers[].", problems);
                    servers.add(s.withFallback(serverTemplate));
                }
                Config withServers = merged.withValue("servers", com.typesafe.config.ConfigValueFactory.fromIterable(
                        servers.stream().map(Config::root).toList()));
                upstreams.put(name, UpstreamConfig.from(name, readerFor(withServers, prefix, problems)));
            }
        }

        List<RouteConfig> routes = new ArrayList<>();
        for (Config c : porter.configList("routes")) {
            UnknownKeys.check(c.root(), routeTemplate, "porter.routes[].", problems);
            ConfigReader r = porter.child("routes[]", c.withFallback(routeTemplate));
            RouteConfig route = RouteConfig.from(r);
            if (!route.upstream().isEmpty() && !upstreams.containsKey(route.upstream())) {
                r.problem("upstream", "no upstream named \"" + route.upstream() + "\" in porter.upstreams");
            }
            routes.add(route);
        }
        if (routes.isEmpty()) {
            porter.problem("routes", "needs at least one route, e.g. [ { path-prefix = \"/\", upstream = app } ]");
        }

        int high = porter.intBytes("write-buffer.high", 1024, 64 << 20);
        int low = porter.intBytes("write-buffer.low", 512, 64 << 20);
        if (low > high) {
            porter.problem("write-buffer.low", "must not be more than write-buffer.high");
            low = high;
        }
        ConfigReader admin = porter.object("admin");
        ConfigReader accessLog = porter.object("access-log");
        return new ProxyConfig(
                workers(porter),
                porter.enumValue("transport", TransportChoice.class, TransportChoice::parse, "auto, epoll, io_uring, nio"),
                listeners,
                upstreams,
                routes,
                new WriteBufferWaterMark(low, high),
                admin != null ? AdminConfig.from(admin) : new AdminConfig(false, null),
                accessLog != null ? AccessLogConfig.from(accessLog) : new AccessLogConfig("off"),
                porter.duration("shutdown-timeout"));
    }

    private static ConfigReader readerFor(Config config, String prefix, ConfigProblems problems) {
        return new ConfigReader(config, prefix + ".", problems);
    }

    private static int workers(ConfigReader porter) {
        ConfigValue value = porter.config().getValue("workers");
        if (value.valueType() == ConfigValueType.STRING && "auto".equals(value.unwrapped())) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (value.valueType() != ConfigValueType.NUMBER) {
            porter.problem("workers", "must be auto or a number of event loops, was " + value.render());
            return 1;
        }
        return porter.integer("workers", 1, 1024);
    }
}

package dev.porter.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed, origin-aware getters over one configuration object (a listener, an upstream, ...).
 *
 * <p>Defaults live only in {@code reference.conf}: every key read here is present after the
 * merge, and no getter has a fallback value of its own. A value that is wrong is recorded in
 * {@link ConfigProblems} with its file and line, and a neutral value is returned so that
 * reading goes on and every problem is reported; the loader throws before any such value
 * can be used.
 */
final class ConfigReader {
    private final Config config;
    private final String prefix;
    private final ConfigProblems problems;

    ConfigReader(Config config, String prefix, ConfigProblems problems) {
        this.config = config;
        this.prefix = prefix;
        this.problems = problems;
    }

    ConfigReader child(String path, Config childConfig) {
        return new ConfigReader(childConfig, prefix + path + ".", problems);
    }

    Config config() {
        return config;
    }

    String path(String key) {
        return prefix + key;
    }

    void problem(String key, String message) {
        ConfigValue value = config.hasPathOrNull(key) ? config.getValue(key) : null;
        problems.add(value != null ? value.origin() : config.origin(), path(key), message);
    }

    /** A problem about {@code key} reported at {@code origin}: where the operator wrote what is wrong. */
    void problem(ConfigOrigin origin, String key, String message) {
        problems.add(origin, path(key), message);
    }

    /**
     * Reads {@code key} with {@code getter}; a missing or mistyped value becomes a problem (with
     * its origin) and {@code fallback} is returned so that reading goes on.
     */
    private <T> T read(String key, T fallback, Function<String, T> getter) {
        try {
            return getter.apply(key);
        } catch (ConfigException e) {
            typeProblem(key, e);
            return fallback;
        }
    }

    String string(String key) {
        return read(key, "", config::getString);
    }

    int integer(String key, int min, int max) {
        int value = read(key, min, config::getInt);
        if (value < min || value > max) {
            problem(key, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** {@code auto}, or a number of idle connections. */
    Keepalive keepalive(String key) {
        if (config.hasPath(key) && config.getValue(key).valueType() == ConfigValueType.STRING
                && config.getString(key).trim().equalsIgnoreCase("auto")) {
            return Keepalive.AUTO;
        }
        if (config.hasPath(key) && config.getValue(key).valueType() == ConfigValueType.STRING) {
            try {
                Integer.parseInt(config.getString(key).trim());
            } catch (NumberFormatException e) {
                problem(key, "must be auto or a number of connections, was \"" + config.getString(key) + "\"");
                return Keepalive.AUTO;
            }
        }
        return Keepalive.of(integer(key, 0, 1_000_000));
    }

    /** A share written {@code 50%}; {@code off} (or {@code 0%}) is 0. */
    int percent(String key) {
        String raw = string(key).trim();
        if (raw.equalsIgnoreCase("off")) {
            return 0;
        }
        try {
            if (raw.endsWith("%")) {
                int value = Integer.parseInt(raw.substring(0, raw.length() - 1).trim());
                if (value >= 0 && value <= 100) {
                    return value;
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problem(key, "must be a percentage from 0% to 100%, or off, was \"" + raw + "\"");
        return 0;
    }

    /**
     * A list of IP address literals. Names are refused: these are addresses of this host, and a
     * name would need a DNS lookup.
     */
    List<InetAddress> ipAddresses(String key) {
        List<InetAddress> out = new ArrayList<>();
        for (String raw : stringList(key)) {
            String text = raw.trim();
            if (!isIpLiteral(text)) {
                problem(key, "must list IP addresses, was \"" + raw + "\"");
                continue;
            }
            try {
                out.add(InetAddress.getByName(text)); // a literal: no lookup
            } catch (UnknownHostException e) {
                problem(key, "must list IP addresses, was \"" + raw + "\"");
            }
        }
        return List.copyOf(out);
    }

    /** A list of IP addresses and CIDR blocks ({@link AddressRange}); names are refused, as above. */
    List<AddressRange> addressRanges(String key) {
        List<AddressRange> out = new ArrayList<>();
        for (String raw : stringList(key)) {
            try {
                out.add(AddressRange.parse(raw));
            } catch (IllegalArgumentException e) {
                problem(key, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static boolean isIpLiteral(String s) {
        return !s.isEmpty() && (s.indexOf(':') >= 0 ? s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                : s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.') && s.split("\\.", -1).length == 4);
    }

    boolean bool(String key) {
        return read(key, false, config::getBoolean);
    }

    /** A size in bytes; accepts `8k`, `1m` or a plain number. */
    long bytes(String key, long min, long max) {
        long value = read(key, min, config::getBytes);
        if (value < min || value > max) {
            problem(key, "must be between " + min + " and " + max + " bytes, was " + value);
        }
        return value;
    }

    int intBytes(String key, int min, int max) {
        return (int) bytes(key, min, max);
    }

    /**
     * A duration, which must carry a unit: HOCON reads a bare {@code 60} as 60 ms while nginx
     * reads it as 60 s, so a bare number is far more likely a mistake than a wish.
     */
    Duration duration(String key) {
        try {
            ConfigValue value = config.getValue(key);
            if (value.valueType() != ConfigValueType.STRING) {
                problem(key, "a duration needs a unit (e.g. 60s, 500ms), was " + value.render());
                return Duration.ZERO;
            }
            Duration duration = config.getDuration(key);
            if (duration.isNegative()) {
                problem(key, "must not be negative, was " + value.unwrapped());
                return Duration.ZERO;
            }
            return duration;
        } catch (ConfigException e) {
            typeProblem(key, e);
            return Duration.ZERO;
        }
    }

    /** A duration that must be more than zero. */
    Duration positiveDuration(String key) {
        Duration duration = duration(key);
        if (duration.isZero() && config.hasPath(key) && config.getValue(key).valueType() == ConfigValueType.STRING
                && !config.getValue(key).unwrapped().toString().isBlank()) {
            problem(key, "must be more than 0");
        }
        return duration;
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type, Function<String, E> parse, String allowed) {
        String raw = string(key);
        E value = parse.apply(raw.toLowerCase(Locale.ROOT));
        if (value == null) {
            problem(key, "must be one of " + allowed + ", was \"" + raw + "\"");
            return type.getEnumConstants()[0];
        }
        return value;
    }

    /** The object at {@code key} as a reader of its own, or null (with a problem) if it is not an object. */
    ConfigReader object(String key) {
        try {
            return child(key, config.getConfig(key));
        } catch (ConfigException e) {
            typeProblem(key, e);
            return null;
        }
    }

    List<String> stringList(String key) {
        return read(key, List.of(), k -> List.copyOf(config.getStringList(k)));
    }

    List<? extends Config> configList(String key) {
        return read(key, List.of(), config::getConfigList);
    }

    Map<String, String> stringMap(String key) {
        Map<String, String> map = new LinkedHashMap<>();
        try {
            Config sub = config.getConfig(key);
            for (Map.Entry<String, ConfigValue> e : sub.root().entrySet()) {
                ConfigValue v = e.getValue();
                if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST
                        || v.valueType() == ConfigValueType.NULL) {
                    problems.add(v.origin(), path(key) + "." + e.getKey(), "must be a string, was " + v.valueType().name().toLowerCase(Locale.ROOT));
                } else {
                    map.put(e.getKey(), String.valueOf(v.unwrapped()));
                }
            }
        } catch (ConfigException e) {
            typeProblem(key, e);
        }
        return map;
    }

    /**
     * A file name; a relative one is taken relative to the directory of the configuration file
     * that names it (as nginx takes it relative to its prefix), so that a configuration and its
     * certificates can move together. Empty when the value is empty.
     */
    Path file(String key) {
        return file(key, string(key), config.getValue(key).origin());
    }

    /**
     * One file name or a list of them, each as {@link #file(String)} reads one; empty when the
     * value is empty. A blank entry in a list is a problem.
     */
    List<Path> files(String key) {
        if (!config.hasPath(key) || config.getValue(key).valueType() != ConfigValueType.LIST) {
            Path one = file(key);
            return one == null ? List.of() : List.of(one);
        }
        List<Path> files = new ArrayList<>();
        for (ConfigValue v : config.getList(key)) {
            Path p = v.valueType() == ConfigValueType.STRING ? file(key, (String) v.unwrapped(), v.origin()) : null;
            if (p == null) {
                problems.add(v.origin(), path(key), "each entry must be a file name, was "
                        + (v.valueType() == ConfigValueType.STRING ? "empty" : v.valueType().name().toLowerCase(Locale.ROOT)));
            } else {
                files.add(p);
            }
        }
        return files;
    }

    private Path file(String key, String value, ConfigOrigin origin) {
        String raw = value.trim();
        if (raw.isEmpty()) {
            return null;
        }
        try {
            Path p = Path.of(raw);
            String containing = origin.filename();
            if (!p.isAbsolute() && containing != null) {
                Path dir = Path.of(containing).toAbsolutePath().getParent();
                p = dir != null ? dir.resolve(p) : p;
            }
            return p.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problem(key, "not a valid file name: " + e.getMessage());
            return null;
        }
    }

    /**
     * A "host:port" address, resolved now: a name is looked up once at load, never on an
     * event loop.
     */
    InetSocketAddress address(String key) {
        String raw = string(key).trim();
        if (raw.isEmpty()) {
            problem(key, "is required (host:port)");
            return InetSocketAddress.createUnresolved("invalid", 1);
        }
        int colon = raw.lastIndexOf(':');
        String host;
        if (raw.startsWith("[")) {
            int close = raw.indexOf(']');
            host = close > 0 ? raw.substring(1, close) : "";
            colon = close > 0 && raw.length() > close + 1 && raw.charAt(close + 1) == ':' ? close + 1 : -1;
        } else {
            host = colon > 0 ? raw.substring(0, colon) : "";
            if (host.indexOf(':') >= 0) {
                colon = -1; // an IPv6 literal must be bracketed
            }
        }
        if (colon < 0 || host.isEmpty()) {
            problem(key, "must be host:port (IPv6 as [addr]:port), was \"" + raw + "\"");
            return InetSocketAddress.createUnresolved("invalid", 1);
        }
        int port;
        try {
            port = Integer.parseInt(raw.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            problem(key, "port must be 0-65535, was \"" + raw.substring(colon + 1) + "\"");
            return InetSocketAddress.createUnresolved("invalid", 1);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            problem(key, "cannot resolve host \"" + host + "\"");
        }
        return address;
    }

    private void typeProblem(String key, ConfigException e) {
        if (e instanceof ConfigException.Missing && !config.hasPathOrNull(key)) {
            problems.add(config.origin(), path(key), "is required");
        } else if (e.origin() != null) {
            problems.add(e.origin(), path(key), stripOrigin(e));
        } else {
            problem(key, stripOrigin(e));
        }
    }

    /** typesafe-config starts its messages with the origin; we print the origin our own way. */
    private static String stripOrigin(ConfigException e) {
        String message = e.getMessage();
        String head = e.origin() != null ? e.origin().description() + ": " : "";
        return !head.isEmpty() && message.startsWith(head) ? message.substring(head.length()) : message;
    }

    static <T> List<T> mapList(List<? extends Config> configs, Function<Config, T> fn) {
        List<T> out = new ArrayList<>(configs.size());
        for (Config c : configs) {
            out.add(fn.apply(c));
        }
        return out;
    }
}

package dev.porter.bench.scenario;

import dev.porter.bench.load.ClientConnection;
import dev.porter.bench.proxy.PoolKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The port-exhaustion incident, run inside a network namespace with a narrowed
 * {@code ip_local_port_range} and {@code tcp_tw_reuse = 0}. Tomcat keeps connections as long
 * as the proxy wants (no request limit, 60 s idle), so only the proxy's pool decides how many
 * connections are opened and closed. The incident, as it was before Porter guarded its ports
 * ({@code port-budget-guard = off}), at the run's concurrency:
 * <ul>
 *   <li>{@code pool-off}: keepalive 0, a connection per request closed by Porter;</li>
 *   <li>{@code pool-too-small}: keepalive an eighth of what the concurrency needs per worker;</li>
 *   <li>{@code pool-sized}: keepalive = ceil(concurrency / workers).</li>
 * </ul>
 * What the shipped defaults make of it:
 * <ul>
 *   <li>{@code pool-too-small-guarded}: pool-too-small's keepalive with the shipped guard, for the
 *       long duration: Porter stops closing first, TIME_WAIT moves to Tomcat, no 502;</li>
 *   <li>{@code old-default-c<N>}: at each of the defaults' concurrencies, for the long duration,
 *       the pool keys Porter shipped before (keepalive 32, no guard): exhausts within seconds;</li>
 *   <li>{@code defaults-c<N>}: the same load with no pool key at all (keepalive auto, the guard
 *       at its shipped share).</li>
 * </ul>
 * A concurrency past the port range gets as many source addresses on the upstream group as
 * it takes to hold one connection per client (127.0.0.2, 127.0.0.3, ...), and Tomcat holds each
 * request for a few seconds so that Porter does hold that many at once; every mode spreads
 * its clients over enough listener addresses that the load generator keeps half of each
 * address's ports spare.
 */
public final class PortExhaustion {
    public static final String NAME = "port-exhaustion";
    /** Fixed ports inside the bench's own namespace, below the narrowed ephemeral range. */
    public static final int BACKEND_PORT = 18080;
    public static final int LISTEN_PORT = 18000;
    public static final int ADMIN_PORT = 18001;
    private static final Duration TOMCAT_KEEPALIVE = Duration.ofSeconds(60);
    /** {@code keepalive} as Porter shipped it before {@code auto}, nginx's documented example value. */
    static final int OLD_DEFAULT_KEEPALIVE = 32;
    private static final int KEEPALIVE_REQUESTS = 1000;
    /** Long against what a loaded 2-core machine takes per request; shorter than the load generator's 5 s grace at the end. */
    static final Duration HELD_REQUEST = Duration.ofSeconds(4);

    /** The modes run when none are named; {@code old-default} and {@code defaults} stand for every {@code -c<N>}. */
    public static final List<String> DEFAULT_MODES = List.of("pool-off", "pool-too-small", "pool-sized",
            "pool-too-small-guarded", "old-default", "defaults");

    private PortExhaustion() {
    }

    /**
     * What one port-exhaustion run covers.
     *
     * @param run                 duration and concurrency of the incident modes, Porter's workers
     * @param defaultsConcurrency client connections of each {@code old-default}/{@code defaults} pair
     * @param defaultsDuration    how long {@code old-default-c<N>}, {@code defaults-c<N>} and
     *                            {@code pool-too-small-guarded} run
     * @param portRange           the namespace's {@code ip_local_port_range}, e.g. "40000 40999"
     */
    public record Plan(RunOptions run, List<Integer> defaultsConcurrency, Duration defaultsDuration, String portRange) {
        public Plan {
            Objects.requireNonNull(run, "run");
            defaultsConcurrency = List.copyOf(defaultsConcurrency);
            Objects.requireNonNull(defaultsDuration, "defaultsDuration");
            rangeSize(portRange);
        }
    }

    public static List<ModeSpec> modes(Plan p) {
        RunOptions o = p.run();
        int range = rangeSize(p.portRange());
        int sized = o.sizedPool();
        int small = Math.max(1, sized / 8);
        int c = o.concurrency();
        List<ModeSpec> modes = new ArrayList<>();
        modes.add(mode("pool-off", keys(0, "off"), c, null, range));
        modes.add(mode("pool-too-small", keys(small, "off"), c, null, range));
        modes.add(mode("pool-sized", keys(sized, "off"), c, null, range));
        modes.add(mode("pool-too-small-guarded", keys(small, null), c, p.defaultsDuration(), range));
        for (int n : p.defaultsConcurrency()) {
            modes.add(mode("old-default-c" + n, keys(OLD_DEFAULT_KEEPALIVE, "off"), n, p.defaultsDuration(), range));
        }
        for (int n : p.defaultsConcurrency()) {
            modes.add(mode("defaults-c" + n, null, n, p.defaultsDuration(), range));
        }
        // not run by default: no proxy, the client itself closes each connection (checks the namespace set-up)
        modes.add(new ModeSpec("direct-client-closes", true, null, List.of(), ClientConnection.CLIENT_CLOSES,
                TOMCAT_KEEPALIVE, -1, Duration.ZERO, null, null, 1));
        return modes;
    }

    private static PoolKeys keys(int keepalive, String guard) {
        return new PoolKeys(keepalive, KEEPALIVE_REQUESTS, "1.1", "proxy", guard);
    }

    private static ModeSpec mode(String name, PoolKeys pool, int concurrency, Duration duration, int range) {
        return new ModeSpec(name, false, pool, sourceAddresses(concurrency, range), ClientConnection.KEEPALIVE,
                TOMCAT_KEEPALIVE, -1, backendDelay(concurrency, range), concurrency, duration,
                clientAddresses(concurrency, range));
    }

    /**
     * Source addresses Porter needs to hold one upstream connection per client: none while the
     * clients fit in one port range, else {@code ceil(concurrency / range)} loopback addresses
     * from 127.0.0.2 on (each brings a whole range toward the backend).
     */
    static List<String> sourceAddresses(int concurrency, int range) {
        if (concurrency <= range) {
            return List.of();
        }
        int n = (concurrency + range - 1) / range;
        List<String> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            a.add(loopback(2 + i));
        }
        return a;
    }

    /**
     * How long Tomcat holds each request: at once while the clients fit in one port range; past
     * it {@link #HELD_REQUEST}, so that every client has a request waiting on Tomcat nearly all
     * the time and Porter holds one upstream connection per client at once, more than one source
     * address's ports, however fast the machine is.
     */
    static Duration backendDelay(int concurrency, int range) {
        return concurrency <= range ? Duration.ZERO : HELD_REQUEST;
    }

    /**
     * Listener addresses the clients spread over so that each holds at most half its port range
     * toward Porter: the load generator must never be the one that runs out.
     */
    static int clientAddresses(int concurrency, int range) {
        int half = Math.max(1, range / 2);
        return Math.max(1, (concurrency + half - 1) / half);
    }

    /** 127.0.0.{@code n}: every such address is local once {@code lo} is up. */
    public static String loopback(int n) {
        if (n < 1 || n > 254) {
            throw new IllegalArgumentException("no loopback address 127.0.0." + n);
        }
        return "127.0.0." + n;
    }

    /** Ports in an {@code ip_local_port_range} value such as "40000 40999" (1,000). */
    public static int rangeSize(String portRange) {
        String[] f = portRange.trim().split("\\s+");
        if (f.length != 2) {
            throw new IllegalArgumentException("a port range is two numbers, e.g. \"40000 40999\", was \"" + portRange + "\"");
        }
        int low = Integer.parseInt(f[0]);
        int high = Integer.parseInt(f[1]);
        if (low < 1 || high > 65535 || high < low) {
            throw new IllegalArgumentException("not a port range: \"" + portRange + "\"");
        }
        return high - low + 1;
    }
}

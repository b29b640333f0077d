package dev.porter.observe;

import dev.porter.config.ProxyConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.tcp.StateCounts;
import dev.porter.tcp.TcpState;
import dev.porter.tcp.UpstreamLeg;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The meters of the kernel's view of Porter's sockets ({@code /proc/net/tcp}): the client leg's
 * TCP states, and per server the states of both ends and the local ports held against the port
 * budget. Part of {@link PorterMeters}.
 *
 * <p>{@link #record} is called from one thread; the meters read the latest census from any.
 */
final class TcpMeters {
    private final MeterRegistry registry;
    private final AtomicReference<TcpIndex> tcp = new AtomicReference<>(TcpIndex.EMPTY);
    private final RegisteredMeters meters;

    TcpMeters(MeterRegistry registry) {
        this.registry = registry;
        this.meters = new RegisteredMeters(registry);
        // Off Linux this is the one tcp series there is; it says why the others are missing.
        Gauge.builder("porter.tcp.census.available", tcp, ref -> ref.get().available() ? 1 : 0)
                .description("1 when the kernel's view of Porter's sockets (/proc/net/tcp) could be read, else 0.")
                .register(registry);
    }

    /** One leg, one side, one state. {@code server == null}: the client leg. */
    private record StateKey(ServerKey server, String side, TcpState state) {
    }

    /** The latest census by configured server; {@code available} false keeps the last keys but reads NaN. */
    private record TcpIndex(boolean available, StateCounts client, Map<ServerKey, UpstreamLeg> legs) {
        static final TcpIndex EMPTY = new TcpIndex(false, null, Map.of());
    }

    /**
     * Swaps in the kernel's view, matched to the servers of {@code config} (the configuration
     * the census was taken with). An unavailable census keeps every meter, reading NaN.
     */
    void record(TcpReading reading, ProxyConfig config) {
        if (!reading.available()) {
            TcpIndex last = tcp.get();
            tcp.set(new TcpIndex(false, last.client(), last.legs()));
            return;
        }
        Map<ServerKey, UpstreamLeg> legs = new HashMap<>();
        for (UpstreamConfig u : config.upstreams().values()) {
            for (ServerConfig s : u.servers()) {
                UpstreamLeg leg = reading.census().upstreams().get(s.address());
                if (leg != null) {
                    legs.put(new ServerKey(u.name(), s.name()), leg);
                }
            }
        }
        StateCounts client = reading.census().client();
        tcp.set(new TcpIndex(true, client, Map.copyOf(legs)));

        Set<Object> present = new HashSet<>();
        for (TcpState state : statesToShow(client)) {
            StateKey key = new StateKey(null, "client", state);
            present.add(key);
            meters.ensure(key, () -> stateMeter(key));
        }
        for (Map.Entry<ServerKey, UpstreamLeg> e : legs.entrySet()) {
            ServerKey server = e.getKey();
            present.add(server);
            meters.ensure(server, () -> legMeters(server));
            for (TcpState state : statesToShow(e.getValue().proxySide())) {
                StateKey key = new StateKey(server, "proxy", state);
                present.add(key);
                meters.ensure(key, () -> stateMeter(key));
            }
            for (TcpState state : statesToShow(e.getValue().upstreamSide())) {
                StateKey key = new StateKey(server, "upstream", state);
                present.add(key);
                meters.ensure(key, () -> stateMeter(key));
            }
        }
        // A state seen once stays (reading 0) while its leg exists: series that come and go
        // every second would break rate() and alerts on TIME_WAIT.
        for (Object key : meters.keys()) {
            if (key instanceof StateKey sk && (sk.server() == null || legs.containsKey(sk.server()))) {
                present.add(key);
            }
        }
        meters.retain(present);
    }

    private List<Meter> legMeters(ServerKey key) {
        Tags tags = key.tags();
        return List.of(
                legGauge("porter.tcp.upstream.ports.held",
                        "Local ports held toward the server (any state but LISTEN, TIME_WAIT included).",
                        tags, key, UpstreamLeg::portsHeld),
                legGauge("porter.tcp.upstream.port.budget",
                        "Local ports available toward one server (the size of ip_local_port_range).",
                        tags, key, UpstreamLeg::portBudget),
                legGauge("porter.tcp.upstream.port.budget.used.percent",
                        "Ports held as a percentage of the budget; at 100 connects fail with EADDRNOTAVAIL.",
                        tags, key, UpstreamLeg::portBudgetUsedPercent));
    }

    private List<Meter> stateMeter(StateKey key) {
        TcpState state = key.state();
        if (key.server() == null) {
            return List.of(Gauge.builder("porter.tcp.client.sockets", tcp, ref -> {
                        TcpIndex t = ref.get();
                        return t.available() ? t.client().count(state) : Double.NaN;
                    })
                    .description("Sockets on the client leg (a listener's address) by TCP state, from /proc/net/tcp.")
                    .tags("state", state.name())
                    .register(registry));
        }
        boolean proxySide = key.side().equals("proxy");
        return List.of(Gauge.builder("porter.tcp.upstream.sockets", tcp, ref -> {
                    TcpIndex t = ref.get();
                    UpstreamLeg leg = t.available() ? t.legs().get(key.server()) : null;
                    return leg == null ? Double.NaN : (proxySide ? leg.proxySide() : leg.upstreamSide()).count(state);
                })
                .description("Sockets toward an upstream server by TCP state; side=proxy: the proxy's ends,"
                        + " side=upstream: the server's own ends when it runs on this host.")
                .tags(key.server().tags().and("side", key.side(), "state", state.name()))
                .register(registry));
    }

    private Gauge legGauge(String name, String help, Tags tags, ServerKey key, ToDoubleFunction<UpstreamLeg> f) {
        return Gauge.builder(name, tcp, ref -> {
            TcpIndex t = ref.get();
            UpstreamLeg leg = t.available() ? t.legs().get(key) : null;
            return leg == null ? Double.NaN : f.applyAsDouble(leg);
        }).description(help).tags(tags).register(registry);
    }

    /** The states that occur, plus the ones incidents are about, so that those read 0 rather than absent. */
    private static Set<TcpState> statesToShow(StateCounts counts) {
        Set<TcpState> states = new HashSet<>(StatusView.KEY_STATES);
        states.addAll(counts.asMap().keySet());
        return states;
    }
}

package dev.porter.observe;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.config.ProxyConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSizingAdvisor;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.ServerSnapshot;
import dev.porter.metrics.SizingAdvice;
import dev.porter.metrics.StatusSnapshot;
import dev.porter.tcp.StateCounts;
import dev.porter.tcp.TcpState;
import dev.porter.tcp.UpstreamLeg;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Porter's counters as Micrometer meters, for {@code GET /metrics} ({@code registry.scrape()}).
 *
 * <p>The counters live on the workers and are only read through snapshots, so no meter holds
 * a value of its own: each is a {@link FunctionCounter} or {@link Gauge} that looks its value up
 * in the latest snapshot, kept in an {@link AtomicReference}. The {@code record} methods swap a
 * new snapshot in and then register the meters its tag combinations need: a pool that appears
 * after a reload, an errno seen for the first time, a TCP state that shows up. Meters of pools
 * and servers that are gone (after a reload) are removed again. A meter whose key is missing
 * from the latest snapshot reads NaN rather than a made-up zero.
 *
 * <p>Metric names (Prometheus):
 * <pre>
 * porter_client_connections{worker,state=active|idle}                         gauge
 * porter_client_connections_accepted_total{worker}                            counter
 * porter_client_requests_total{worker}                                        counter
 * porter_client_responses_total{worker,code=1xx..5xx}                         counter
 * porter_upstream_connections{worker,upstream,server,state=idle|active}       gauge
 * porter_upstream_connections_peak_active{worker,upstream,server}             gauge (last minute)
 * porter_upstream_connections_opened_total{worker,upstream,server}            counter
 * porter_upstream_connections_closed_total{worker,upstream,server,by}         counter (proxy, upstream, reset)
 * porter_upstream_connections_closed_reason_total{worker,upstream,server,reason} counter
 * porter_upstream_requests_total{worker,upstream,server}                      counter
 * porter_upstream_reused_requests_total{worker,upstream,server}               counter
 * porter_upstream_stale_retries_total{worker,upstream,server}                 counter
 * porter_upstream_connect_errors_total{worker,upstream,server,errno}          counter
 * porter_upstream_peak_active_per_worker{upstream,server}                     gauge (sizing)
 * porter_upstream_keepalive{upstream,server}                                  gauge (sizing)
 * porter_upstream_recommended_keepalive{upstream,server}                      gauge (sizing; 0 = fine)
 * porter_upstream_churn_per_1000_requests{upstream,server}                    gauge (sizing)
 * porter_tcp_census_available                                                 gauge (1, or 0 off Linux)
 * porter_tcp_client_sockets{state}                                            gauge
 * porter_tcp_upstream_sockets{upstream,server,side=proxy|upstream,state}      gauge
 * porter_tcp_upstream_ports_held{upstream,server}                             gauge
 * porter_tcp_upstream_port_budget{upstream,server}                            gauge
 * porter_tcp_upstream_port_budget_used_percent{upstream,server}               gauge
 * </pre>
 *
 * <p>Thread-safety: the {@code record} methods are called from one thread (admin-tasks) and
 * own the bookkeeping of registered meters; the meters' functions run on whatever thread
 * scrapes and only read the {@link AtomicReference}s.
 */
public final class PorterMeters {
    private final MeterRegistry registry;
    private final AtomicReference<StatusIndex> status = new AtomicReference<>(StatusIndex.EMPTY);
    private final AtomicReference<Map<SizingKey, SizingAdvice>> sizing = new AtomicReference<>(Map.of());
    private final AtomicReference<TcpIndex> tcp = new AtomicReference<>(TcpIndex.EMPTY);

    // Confined to the recording thread: which meters exist for which key, by source.
    private final Map<Object, List<Meter>> statusMeters = new HashMap<>();
    private final Map<Object, List<Meter>> sizingMeters = new HashMap<>();
    private final Map<Object, List<Meter>> tcpMeters = new HashMap<>();

    public PorterMeters(MeterRegistry registry) {
        this.registry = registry;
        // Off Linux this is the one tcp series there is; it says why the others are missing.
        Gauge.builder("porter.tcp.census.available", tcp, ref -> ref.get().available() ? 1 : 0)
                .description("1 when the kernel's view of Porter's sockets (/proc/net/tcp) could be read, else 0.")
                .register(registry);
    }

    private record PoolKey(int worker, String upstream, String server) {
        Tags tags() {
            return Tags.of("worker", Integer.toString(worker), "upstream", upstream, "server", server);
        }
    }

    private record ClientKey(int worker) {
    }

    private record ErrnoKey(PoolKey pool, String errno) {
    }

    private record SizingKey(String upstream, String server) {
        Tags tags() {
            return Tags.of("upstream", upstream, "server", server);
        }
    }

    /** One leg, one side, one state. {@code server == null}: the client leg. */
    private record StateKey(SizingKey server, String side, TcpState state) {
    }

    private record StatusIndex(Map<Integer, ClientSnapshot> clients, Map<PoolKey, PoolSnapshot> pools,
                               Map<SizingKey, ServerSnapshot> servers) {
        static final StatusIndex EMPTY = new StatusIndex(Map.of(), Map.of(), Map.of());
    }

    /** The meters of a server's shared state, keyed apart from its sizing meters. */
    private record ServerKey(SizingKey server) {
    }

    /** The latest census by configured server; {@code available} false keeps the last keys but reads NaN. */
    private record TcpIndex(boolean available, StateCounts client, Map<SizingKey, UpstreamLeg> legs) {
        static final TcpIndex EMPTY = new TcpIndex(false, null, Map.of());
    }

    /** Swaps in the workers' counters and registers meters for new workers, pools and errnos. */
    public void record(StatusSnapshot snapshot) {
        Map<Integer, ClientSnapshot> clients = new HashMap<>();
        for (ClientSnapshot c : snapshot.clients()) {
            clients.put(c.worker(), c);
        }
        Map<PoolKey, PoolSnapshot> pools = new HashMap<>();
        for (PoolSnapshot p : snapshot.pools()) {
            pools.put(new PoolKey(p.worker(), p.upstream(), p.server()), p);
        }
        Map<SizingKey, ServerSnapshot> servers = new HashMap<>();
        for (ServerSnapshot s : snapshot.servers()) {
            servers.put(new SizingKey(s.upstream(), s.server()), s);
        }
        status.set(new StatusIndex(Map.copyOf(clients), Map.copyOf(pools), Map.copyOf(servers)));

        Set<Object> present = new HashSet<>();
        for (Integer worker : clients.keySet()) {
            ClientKey key = new ClientKey(worker);
            present.add(key);
            statusMeters.computeIfAbsent(key, k -> clientMeters(worker));
        }
        for (Map.Entry<PoolKey, PoolSnapshot> e : pools.entrySet()) {
            PoolKey key = e.getKey();
            present.add(key);
            statusMeters.computeIfAbsent(key, k -> poolMeters(key));
            for (String errno : e.getValue().connectErrors().keySet()) {
                ErrnoKey ek = new ErrnoKey(key, errno);
                present.add(ek);
                statusMeters.computeIfAbsent(ek, k -> errnoMeters(ek));
            }
        }
        for (SizingKey server : servers.keySet()) {
            ServerKey key = new ServerKey(server);
            present.add(key);
            statusMeters.computeIfAbsent(key, k -> serverMeters(server));
        }
        retain(statusMeters, present);
    }

    private List<Meter> serverMeters(SizingKey key) {
        Tags tags = key.tags();
        return List.of(
                serverGauge("porter.upstream.server.connections",
                        "Open connections to the server from all workers (max-conns counts these).", tags, key,
                        ServerSnapshot::open),
                serverGauge("porter.upstream.server.max.conns", "The server's max-conns; 0 = no limit.", tags, key,
                        ServerSnapshot::maxConns),
                serverGauge("porter.upstream.server.queued", "Requests waiting for a connection under max-conns.",
                        tags, key, ServerSnapshot::queued),
                serverGauge("porter.upstream.server.down", "1 while the server is out after max-fails failures.",
                        tags, key, s -> s.down() ? 1 : 0),
                serverGauge("porter.upstream.port.guard.engaged",
                        "1 while the port budget guard leaves the first FIN to the upstream.", tags, key,
                        s -> s.guardEngaged() ? 1 : 0),
                serverGauge("porter.upstream.port.guard.ports.held",
                        "Local ports Porter holds toward the server by its own count (open + closed first in 60 s).",
                        tags, key, ServerSnapshot::portsHeld),
                serverGauge("porter.upstream.port.guard.budget",
                        "Local ports available toward the server (port range x source addresses).", tags, key,
                        ServerSnapshot::portBudget));
    }

    private Gauge serverGauge(String name, String help, Tags tags, SizingKey key, ToDoubleFunction<ServerSnapshot> f) {
        return Gauge.builder(name, status, ref -> {
            ServerSnapshot s = ref.get().servers().get(key);
            return s == null ? Double.NaN : f.applyAsDouble(s);
        }).description(help).tags(tags).register(registry);
    }

    /** Swaps in the latest sizing advice and registers meters for servers seen for the first time. */
    public void record(List<SizingAdvice> advice) {
        Map<SizingKey, SizingAdvice> byServer = new HashMap<>();
        for (SizingAdvice a : advice) {
            byServer.put(new SizingKey(a.upstream(), a.server()), a);
        }
        sizing.set(Map.copyOf(byServer));
        for (SizingKey key : byServer.keySet()) {
            sizingMeters.computeIfAbsent(key, k -> sizingMeters(key));
        }
        retain(sizingMeters, new HashSet<>(byServer.keySet()));
    }

    /**
     * Swaps in the kernel's view, matched to the servers of {@code config} (the configuration
     * the census was taken with). An unavailable census keeps every meter, reading NaN.
     */
    public void record(TcpReading reading, ProxyConfig config) {
        if (!reading.available()) {
            TcpIndex last = tcp.get();
            tcp.set(new TcpIndex(false, last.client(), last.legs()));
            return;
        }
        Map<SizingKey, UpstreamLeg> legs = new HashMap<>();
        for (UpstreamConfig u : config.upstreams().values()) {
            for (ServerConfig s : u.servers()) {
                UpstreamLeg leg = reading.census().upstreams().get(s.address());
                if (leg != null) {
                    legs.put(new SizingKey(u.name(), s.name()), leg);
                }
            }
        }
        StateCounts client = reading.census().client();
        tcp.set(new TcpIndex(true, client, Map.copyOf(legs)));

        Set<Object> present = new HashSet<>();
        for (TcpState state : statesToShow(client)) {
            StateKey key = new StateKey(null, "client", state);
            present.add(key);
            tcpMeters.computeIfAbsent(key, k -> stateMeter(key));
        }
        for (Map.Entry<SizingKey, UpstreamLeg> e : legs.entrySet()) {
            SizingKey server = e.getKey();
            present.add(server);
            tcpMeters.computeIfAbsent(server, k -> legMeters(server));
            for (TcpState state : statesToShow(e.getValue().proxySide())) {
                StateKey key = new StateKey(server, "proxy", state);
                present.add(key);
                tcpMeters.computeIfAbsent(key, k -> stateMeter(key));
            }
            for (TcpState state : statesToShow(e.getValue().upstreamSide())) {
                StateKey key = new StateKey(server, "upstream", state);
                present.add(key);
                tcpMeters.computeIfAbsent(key, k -> stateMeter(key));
            }
        }
        // A state seen once stays (reading 0) while its leg exists: series that come and go
        // every second would break rate() and alerts on TIME_WAIT.
        for (Object key : tcpMeters.keySet()) {
            if (key instanceof StateKey sk && (sk.server() == null || legs.containsKey(sk.server()))) {
                present.add(key);
            }
        }
        retain(tcpMeters, present);
    }

    private List<Meter> clientMeters(int worker) {
        Tags tags = Tags.of("worker", Integer.toString(worker));
        List<Meter> meters = new ArrayList<>();
        meters.add(clientGauge("porter.client.connections", "Open client connections by state (active: a request in flight).",
                tags.and("state", "active"), worker, ClientSnapshot::active));
        meters.add(clientGauge("porter.client.connections", "Open client connections by state (active: a request in flight).",
                tags.and("state", "idle"), worker, ClientSnapshot::idle));
        meters.add(clientGauge("porter.client.connections", "Open client connections by state (active: a request in flight).",
                tags.and("state", "tunnel"), worker, ClientSnapshot::tunnels));
        meters.add(clientCounter("porter.client.connections.accepted", "Client connections accepted.",
                tags, worker, ClientSnapshot::accepted));
        meters.add(clientCounter("porter.client.requests", "Requests received from clients.",
                tags, worker, ClientSnapshot::requests));
        List<ToDoubleFunction<ClientSnapshot>> byClass = List.of(ClientSnapshot::responses1xx, ClientSnapshot::responses2xx,
                ClientSnapshot::responses3xx, ClientSnapshot::responses4xx, ClientSnapshot::responses5xx);
        for (int i = 0; i < byClass.size(); i++) {
            meters.add(clientCounter("porter.client.responses", "Responses sent to clients by status class.",
                    tags.and("code", (i + 1) + "xx"), worker, byClass.get(i)));
        }
        return meters;
    }

    private List<Meter> poolMeters(PoolKey key) {
        Tags tags = key.tags();
        List<Meter> meters = new ArrayList<>();
        String connections = "Upstream connections per worker and server: idle in the pool, active, or a WebSocket tunnel.";
        meters.add(poolGauge("porter.upstream.connections", connections, tags.and("state", "idle"), key, PoolSnapshot::idle));
        meters.add(poolGauge("porter.upstream.connections", connections, tags.and("state", "active"), key, PoolSnapshot::active));
        meters.add(poolGauge("porter.upstream.connections", connections, tags.and("state", "tunnel"), key, PoolSnapshot::tunnels));
        meters.add(poolGauge("porter.upstream.keepalive.target",
                "Idle connections the pool keeps now (keepalive, or with auto the recent peak in flight).", tags, key,
                PoolSnapshot::keepaliveTarget));
        meters.add(poolGauge("porter.upstream.connections.peak.active",
                "Most upstream connections active at once on the worker in the last minute.", tags, key, PoolSnapshot::peakActive));
        meters.add(poolCounter("porter.upstream.connections.opened",
                "Upstream connections opened (each one closed by the proxy leaves a TIME_WAIT on the proxy).",
                tags, key, PoolSnapshot::opened));
        meters.add(poolCounter("porter.upstream.requests", "Requests sent upstream.", tags, key, PoolSnapshot::requests));
        meters.add(poolCounter("porter.upstream.reused.requests", "Requests sent on a reused (pooled) connection.",
                tags, key, PoolSnapshot::reusedRequests));
        meters.add(poolCounter("porter.upstream.stale.retries",
                "Requests retried on a new connection after a reused one turned out closed.", tags, key, PoolSnapshot::staleRetries));
        for (ClosedBy by : ClosedBy.values()) {
            meters.add(poolCounter("porter.upstream.connections.closed",
                    "Upstream connections closed, by who closed first (proxy: TIME_WAIT on the proxy; reset: none).",
                    tags.and("by", by.label()), key, p -> p.closedBy().getOrDefault(by, 0L)));
        }
        for (CloseReason r : CloseReason.values()) {
            meters.add(poolCounter("porter.upstream.connections.closed.reason", "Upstream connections closed, by reason.",
                    tags.and("reason", r.label()), key, p -> p.closedReason().getOrDefault(r, 0L)));
        }
        return meters;
    }

    private List<Meter> errnoMeters(ErrnoKey key) {
        return List.of(poolCounter("porter.upstream.connect.errors",
                "Failed upstream connects by errno (EADDRNOTAVAIL: no local port left toward the server).",
                key.pool().tags().and("errno", key.errno()), key.pool(),
                p -> p.connectErrors().getOrDefault(key.errno(), 0L)));
    }

    private List<Meter> sizingMeters(SizingKey key) {
        Tags tags = key.tags();
        return List.of(
                sizingGauge("porter.upstream.peak.active.per.worker",
                        "Most requests in flight to the server from one worker in the last minute.",
                        tags, key, SizingAdvice::peakActivePerWorker),
                sizingGauge("porter.upstream.keepalive",
                        "Idle connections cached per worker: the configured number, or with keepalive = auto the largest target.",
                        tags, key, SizingAdvice::keepalive),
                sizingGauge("porter.upstream.recommended.keepalive",
                        "A keepalive that would hold the peak per worker; 0 when the configured one does.",
                        tags, key, SizingAdvice::recommendedKeepalive),
                sizingGauge("porter.upstream.churn.per.1000.requests",
                        "Upstream connections opened per 1,000 requests in the last "
                                + PoolSizingAdvisor.WINDOW.toSeconds() + " s window.",
                        tags, key, SizingAdvice::churnPer1000));
    }

    private List<Meter> legMeters(SizingKey key) {
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

    private Gauge clientGauge(String name, String help, Tags tags, int worker, ToDoubleFunction<ClientSnapshot> f) {
        return Gauge.builder(name, status, ref -> client(ref, worker, f)).description(help).tags(tags).register(registry);
    }

    private FunctionCounter clientCounter(String name, String help, Tags tags, int worker, ToDoubleFunction<ClientSnapshot> f) {
        return FunctionCounter.builder(name, status, ref -> client(ref, worker, f)).description(help).tags(tags).register(registry);
    }

    private Gauge poolGauge(String name, String help, Tags tags, PoolKey key, ToDoubleFunction<PoolSnapshot> f) {
        return Gauge.builder(name, status, ref -> pool(ref, key, f)).description(help).tags(tags).register(registry);
    }

    private FunctionCounter poolCounter(String name, String help, Tags tags, PoolKey key, ToDoubleFunction<PoolSnapshot> f) {
        return FunctionCounter.builder(name, status, ref -> pool(ref, key, f)).description(help).tags(tags).register(registry);
    }

    private Gauge sizingGauge(String name, String help, Tags tags, SizingKey key, ToDoubleFunction<SizingAdvice> f) {
        return Gauge.builder(name, sizing, ref -> {
            SizingAdvice a = ref.get().get(key);
            return a == null ? Double.NaN : f.applyAsDouble(a);
        }).description(help).tags(tags).register(registry);
    }

    private Gauge legGauge(String name, String help, Tags tags, SizingKey key, ToDoubleFunction<UpstreamLeg> f) {
        return Gauge.builder(name, tcp, ref -> {
            TcpIndex t = ref.get();
            UpstreamLeg leg = t.available() ? t.legs().get(key) : null;
            return leg == null ? Double.NaN : f.applyAsDouble(leg);
        }).description(help).tags(tags).register(registry);
    }

    private static double client(AtomicReference<StatusIndex> ref, int worker, ToDoubleFunction<ClientSnapshot> f) {
        ClientSnapshot c = ref.get().clients().get(worker);
        return c == null ? Double.NaN : f.applyAsDouble(c);
    }

    private static double pool(AtomicReference<StatusIndex> ref, PoolKey key, ToDoubleFunction<PoolSnapshot> f) {
        PoolSnapshot p = ref.get().pools().get(key);
        return p == null ? Double.NaN : f.applyAsDouble(p);
    }

    /** The states that occur, plus the ones incidents are about, so that those read 0 rather than absent. */
    private static Set<TcpState> statesToShow(StateCounts counts) {
        Set<TcpState> states = new HashSet<>(StatusView.KEY_STATES);
        states.addAll(counts.asMap().keySet());
        return states;
    }

    /** Removes the meters of every key not in {@code present}. */
    private void retain(Map<Object, List<Meter>> meters, Set<Object> present) {
        for (Iterator<Map.Entry<Object, List<Meter>>> it = meters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, List<Meter>> e = it.next();
            if (!present.contains(e.getKey())) {
                e.getValue().forEach(registry::remove);
                it.remove();
            }
        }
    }
}

package dev.porter.observe;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.ServerSnapshot;
import dev.porter.metrics.StatusSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The meters of the workers' counters ({@link StatusSnapshot}): per worker its client
 * connections, per worker and server its pool, per server the state all workers share
 * ({@code max-conns}, health, the port budget guard). Part of {@link PorterMeters}.
 *
 * <p>{@link #record} is called from one thread; the meters read the latest snapshot from any.
 */
final class StatusMeters {
    private final MeterRegistry registry;
    private final AtomicReference<StatusIndex> status = new AtomicReference<>(StatusIndex.EMPTY);
    private final RegisteredMeters meters;

    StatusMeters(MeterRegistry registry) {
        this.registry = registry;
        this.meters = new RegisteredMeters(registry);
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

    private record StatusIndex(Map<Integer, ClientSnapshot> clients, Map<PoolKey, PoolSnapshot> pools,
                               Map<ServerKey, ServerSnapshot> servers) {
        static final StatusIndex EMPTY = new StatusIndex(Map.of(), Map.of(), Map.of());
    }

    /** Swaps in the workers' counters and registers meters for new workers, pools and errnos. */
    void record(StatusSnapshot snapshot) {
        Map<Integer, ClientSnapshot> clients = new HashMap<>();
        for (ClientSnapshot c : snapshot.clients()) {
            clients.put(c.worker(), c);
        }
        Map<PoolKey, PoolSnapshot> pools = new HashMap<>();
        for (PoolSnapshot p : snapshot.pools()) {
            pools.put(new PoolKey(p.worker(), p.upstream(), p.server()), p);
        }
        Map<ServerKey, ServerSnapshot> servers = new HashMap<>();
        for (ServerSnapshot s : snapshot.servers()) {
            servers.put(new ServerKey(s.upstream(), s.server()), s);
        }
        status.set(new StatusIndex(Map.copyOf(clients), Map.copyOf(pools), Map.copyOf(servers)));

        Set<Object> present = new HashSet<>();
        for (Integer worker : clients.keySet()) {
            ClientKey key = new ClientKey(worker);
            present.add(key);
            meters.ensure(key, () -> clientMeters(worker));
        }
        for (Map.Entry<PoolKey, PoolSnapshot> e : pools.entrySet()) {
            PoolKey key = e.getKey();
            present.add(key);
            meters.ensure(key, () -> poolMeters(key));
            for (String errno : e.getValue().connectErrors().keySet()) {
                ErrnoKey ek = new ErrnoKey(key, errno);
                present.add(ek);
                meters.ensure(ek, () -> errnoMeters(ek));
            }
        }
        for (ServerKey server : servers.keySet()) {
            present.add(server);
            meters.ensure(server, () -> serverMeters(server));
        }
        meters.retain(present);
    }

    private List<Meter> serverMeters(ServerKey key) {
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

    private Gauge serverGauge(String name, String help, Tags tags, ServerKey key, ToDoubleFunction<ServerSnapshot> f) {
        return Gauge.builder(name, status, ref -> {
            ServerSnapshot s = ref.get().servers().get(key);
            return s == null ? Double.NaN : f.applyAsDouble(s);
        }).description(help).tags(tags).register(registry);
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
        String connections = "Upstream connections per worker and server: idle in the pool, active (a request in flight),"
                + " closing (retired, its close not done yet), or a WebSocket tunnel.";
        meters.add(poolGauge("porter.upstream.connections", connections, tags.and("state", "idle"), key, PoolSnapshot::idle));
        meters.add(poolGauge("porter.upstream.connections", connections, tags.and("state", "active"), key, PoolSnapshot::active));
        meters.add(poolGauge("porter.upstream.connections", connections, tags.and("state", "closing"), key, PoolSnapshot::closing));
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
        meters.add(poolCounter("porter.upstream.connections.surplus",
                "Upstream connections let go because the pool already held keepalive idle ones (keepalive below the load).",
                tags, key, PoolSnapshot::surplus));
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

    private static double client(AtomicReference<StatusIndex> ref, int worker, ToDoubleFunction<ClientSnapshot> f) {
        ClientSnapshot c = ref.get().clients().get(worker);
        return c == null ? Double.NaN : f.applyAsDouble(c);
    }

    private static double pool(AtomicReference<StatusIndex> ref, PoolKey key, ToDoubleFunction<PoolSnapshot> f) {
        PoolSnapshot p = ref.get().pools().get(key);
        return p == null ? Double.NaN : f.applyAsDouble(p);
    }
}

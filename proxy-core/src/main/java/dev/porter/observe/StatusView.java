package dev.porter.observe;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.config.CloseInitiator;
import dev.porter.config.ProxyConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.config.UpstreamHttpVersion;
import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSizingAdvisor;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.ServerSnapshot;
import dev.porter.metrics.SizingAdvice;
import dev.porter.metrics.StatusSnapshot;
import dev.porter.tcp.StateCounts;
import dev.porter.tcp.TcpState;
import dev.porter.tcp.UpstreamLeg;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON document of {@code GET /status}, for people and for scripts ({@code jq}):
 * <pre>
 * version, started, at, uptimeSeconds, workers, listeners
 * clients:   totals, workers[], tcp (the client leg's sockets by state)
 * upstreams: &lt;name&gt;: config, servers: &lt;server&gt;: address, health, connections, totals, workers[], tcp, sizing
 * </pre>
 * Totals are the sums of the workers (the per-worker {@code peakActive} is left out of them:
 * a sum of peaks is no peak; {@code sizing.peakActivePerWorker} is the largest).
 * Counters restart from zero when a reload builds new pools. Keys that scripts look up are
 * always present: every close initiator and close reason, and the ESTABLISHED, TIME_WAIT and
 * CLOSE_WAIT states (as 0); connect errors appear by errno once one has occurred.
 * When the kernel's view cannot be read, each {@code tcp} is {@code {"unavailable": reason}}.
 *
 * <p>A tree of records for a JSON mapper to walk (Jackson writes records by their components).
 * Null members are left out of the document (the totals' {@code worker} and {@code peakActive},
 * a healthy server's {@code downUntil}): serialize it with null members excluded
 * ({@code NON_NULL} inclusion), as the admin listener does.
 *
 * <p>A pure function of its inputs; built on the admin-tasks thread, never on an event loop.
 */
public record StatusView(
        String version,
        String started,
        String at,
        long uptimeSeconds,
        int workers,
        String transport,
        List<String> listeners,
        Clients clients,
        Map<String, Upstream> upstreams) {

    /** States shown (as 0) even when no socket is in them: the ones incidents are about. */
    static final Set<TcpState> KEY_STATES = EnumSet.of(TcpState.ESTABLISHED, TcpState.TIME_WAIT, TcpState.CLOSE_WAIT);
    /** The span sizing advice covers, as the configuration file would write it. */
    static final String SIZING_WINDOW = duration(PoolSizingAdvisor.WINDOW);

    public record Clients(ClientCounts totals, List<ClientCounts> workers, Map<String, Object> tcp) {
    }

    /** One worker's client side, or (worker null) all of them. */
    /** @param tunnels connections that are WebSocket tunnels now (neither active nor idle) */
    public record ClientCounts(Integer worker, int open, int active, int idle, int tunnels, long accepted, long requests,
                               long tunnelsOpened, Map<String, Long> responses) {
    }

    public record Upstream(Settings config, Map<String, Server> servers) {
    }

    /** The group's pooling settings as in force, in the configuration file's words. */
    public record Settings(String keepalive, int keepaliveRequests, String keepaliveTimeout, String keepaliveTime,
                           int maxConnections, String closeInitiator, String httpVersion) {
    }

    /**
     * One upstream server of a group.
     *
     * @param address the resolved address, as the kernel's view matches it
     * @param health  null (left out), as {@code connections} and {@code portGuard}, while the
     *                workers' snapshot predates the server (a reload just added it)
     */
    public record Server(String address, Health health, Connections connections, PortGuard portGuard,
                         PoolCounts totals, List<PoolCounts> workers, Map<String, Object> tcp, Map<String, Object> sizing) {
    }

    /**
     * The port budget guard: Porter's own count of the local ports it holds toward the server
     * against the budget, and whether it has stopped closing first.
     */
    public record PortGuard(boolean engaged, int portsHeld, int portBudget, String threshold, List<String> sourceAddresses) {
    }

    /**
     * The server's passive health, shared by the workers.
     *
     * @param state     {@code up}, or {@code down} until {@code downUntil}
     * @param alwaysUp  the group's only server: never taken out, whatever its failures
     */
    public record Health(String state, String downUntil, boolean alwaysUp, int fails, int maxFails, String failTimeout,
                         LastFailure lastFailure) {
    }

    public record LastFailure(String at, String reason) {
    }

    /** Open connections from all workers against max-conns (0 = none), and requests waiting for one. */
    public record Connections(int open, int maxConns, int queued) {
    }

    /**
     * One worker's pool toward one server, or (worker null, peakActive null) the sum over workers.
     * {@code closing}: connections retired whose close is not done yet; {@code tunnels}: its
     * connections that are WebSocket tunnels now (out of the pool, still open); {@code surplus}:
     * connections let go because the pool already held keepalive idle ones.
     */
    public record PoolCounts(Integer worker, int idle, int active, int closing, int tunnels, Integer peakActive,
                             Integer keepaliveTarget, long opened, long requests, long reusedRequests, long surplus,
                             Map<String, Long> closedBy,
                             Map<String, Long> closedReason, long staleRetries, Map<String, Long> connectErrors,
                             long tunnelsOpened) {
    }

    /**
     * @param version         Porter's version, for the document's header
     * @param transport       the workers' socket transport (io_uring, epoll, nio)
     * @param listenAddresses the addresses bound, in listener order
     * @param started         when the process started, for {@code uptimeSeconds}
     * @param tcp             the kernel's view, or why there is none
     * @param advice          the latest sizing advice; empty before the first window ends
     */
    public static StatusView of(String version, String transport, ProxyConfig config, List<InetSocketAddress> listenAddresses,
                                Instant started, StatusSnapshot snapshot, TcpReading tcp, List<SizingAdvice> advice) {
        List<ClientCounts> clientWorkers = snapshot.clients().stream().map(StatusView::clientCounts).toList();
        Clients clients = new Clients(sumClients(clientWorkers), clientWorkers,
                tcp.available() ? new LinkedHashMap<>(states(tcp.census().client())) : unavailable(tcp.unavailable()));

        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        for (UpstreamConfig u : config.upstreams().values()) {
            Map<String, Server> servers = new LinkedHashMap<>();
            for (ServerConfig s : u.servers()) {
                List<PoolCounts> workers = snapshot.pools().stream()
                        .filter(p -> p.upstream().equals(u.name()) && p.server().equals(s.name()))
                        .map(StatusView::poolCounts)
                        .toList();
                ServerSnapshot shared = snapshot.servers().stream()
                        .filter(x -> x.upstream().equals(u.name()) && x.server().equals(s.name()))
                        .findFirst().orElse(null);
                servers.put(s.name(), new Server(Addresses.ipPort(s.address()), health(shared, s),
                        shared == null ? null : new Connections(shared.open(), shared.maxConns(), shared.queued()),
                        shared == null ? null : new PortGuard(shared.guardEngaged(), shared.portsHeld(),
                                shared.portBudget(), shared.guardPercent() == 0 ? "off" : shared.guardPercent() + "%",
                                shared.sourceAddresses()),
                        sumPools(workers), workers,
                        serverTcp(tcp, s.address(), shared == null ? 1 : Math.max(1, shared.sourceAddresses().size())),
                        sizing(advice, u, s)));
            }
            upstreams.put(u.name(), new Upstream(settings(u), servers));
        }
        return new StatusView(
                version,
                // Strings, written as ISO-8601 text: the JSON writer (proxy-server's StatusJson) knows no java.time types.
                started.toString(),
                snapshot.at().toString(),
                Duration.between(started, snapshot.at()).toSeconds(),
                snapshot.workers(),
                transport,
                listenAddresses.stream().map(Addresses::hostPort).toList(),
                clients,
                upstreams);
    }

    private static Health health(ServerSnapshot shared, ServerConfig s) {
        if (shared == null) {
            return null;
        }
        LastFailure last = shared.lastFailureAt() == null ? null
                : new LastFailure(shared.lastFailureAt().toString(), shared.lastFailure());
        return new Health(shared.down() ? "down" : "up", shared.downUntil() == null ? null : shared.downUntil().toString(),
                shared.lone(), shared.fails(), s.maxFails(), duration(s.failTimeout()), last);
    }

    private static ClientCounts clientCounts(ClientSnapshot c) {
        Map<String, Long> responses = new LinkedHashMap<>();
        responses.put("1xx", c.responses1xx());
        responses.put("2xx", c.responses2xx());
        responses.put("3xx", c.responses3xx());
        responses.put("4xx", c.responses4xx());
        responses.put("5xx", c.responses5xx());
        return new ClientCounts(c.worker(), c.open(), c.active(), c.idle(), c.tunnels(), c.accepted(), c.requests(),
                c.tunnelsOpened(), responses);
    }

    private static ClientCounts sumClients(List<ClientCounts> workers) {
        int open = 0;
        int active = 0;
        int idle = 0;
        int tunnels = 0;
        long tunnelsOpened = 0;
        long accepted = 0;
        long requests = 0;
        Map<String, Long> responses = new LinkedHashMap<>();
        for (ClientCounts c : workers) {
            open += c.open();
            active += c.active();
            idle += c.idle();
            tunnels += c.tunnels();
            tunnelsOpened += c.tunnelsOpened();
            accepted += c.accepted();
            requests += c.requests();
            c.responses().forEach((k, v) -> responses.merge(k, v, Long::sum));
        }
        return new ClientCounts(null, open, active, idle, tunnels, accepted, requests, tunnelsOpened, responses);
    }

    private static PoolCounts poolCounts(PoolSnapshot p) {
        // The snapshot's maps are unordered; fixed orders make the document diffable.
        Map<String, Long> closedBy = new LinkedHashMap<>();
        for (ClosedBy by : ClosedBy.values()) {
            closedBy.put(by.label(), p.closedBy().getOrDefault(by, 0L));
        }
        Map<String, Long> closedReason = new LinkedHashMap<>();
        for (CloseReason r : CloseReason.values()) {
            closedReason.put(r.label(), p.closedReason().getOrDefault(r, 0L));
        }
        return new PoolCounts(p.worker(), p.idle(), p.active(), p.closing(), p.tunnels(), p.peakActive(), p.keepaliveTarget(),
                p.opened(), p.requests(), p.reusedRequests(), p.surplus(), closedBy, closedReason, p.staleRetries(),
                new TreeMap<>(p.connectErrors()), p.tunnelsOpened());
    }

    private static PoolCounts sumPools(List<PoolCounts> workers) {
        int idle = 0;
        int active = 0;
        int closing = 0;
        int tunnels = 0;
        long tunnelsOpened = 0;
        long opened = 0;
        long requests = 0;
        long reused = 0;
        long surplus = 0;
        long stale = 0;
        Map<String, Long> closedBy = new LinkedHashMap<>();
        for (String by : closeInitiators()) {
            closedBy.put(by, 0L);
        }
        Map<String, Long> closedReason = new LinkedHashMap<>();
        for (CloseReason r : CloseReason.values()) {
            closedReason.put(r.label(), 0L);
        }
        Map<String, Long> connectErrors = new TreeMap<>();
        for (PoolCounts p : workers) {
            idle += p.idle();
            active += p.active();
            closing += p.closing();
            tunnels += p.tunnels();
            tunnelsOpened += p.tunnelsOpened();
            opened += p.opened();
            requests += p.requests();
            reused += p.reusedRequests();
            surplus += p.surplus();
            stale += p.staleRetries();
            p.closedBy().forEach((k, v) -> closedBy.merge(k, v, Long::sum));
            p.closedReason().forEach((k, v) -> closedReason.merge(k, v, Long::sum));
            p.connectErrors().forEach((k, v) -> connectErrors.merge(k, v, Long::sum));
        }
        return new PoolCounts(null, idle, active, closing, tunnels, null, null, opened, requests, reused, surplus, closedBy,
                closedReason, stale, connectErrors, tunnelsOpened);
    }

    /** @param sources source addresses toward the server: each brings the whole port range */
    private static Map<String, Object> serverTcp(TcpReading tcp, InetSocketAddress server, int sources) {
        if (!tcp.available()) {
            return unavailable(tcp.unavailable());
        }
        UpstreamLeg leg = tcp.census().upstreams().get(server);
        if (leg == null) {
            // The census was taken with the configuration before a reload.
            return unavailable("not in the census yet (configuration reloaded)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("proxySide", states(leg.proxySide()));
        // Only the sockets of an upstream on this host (the server's own ends) show here.
        out.put("upstreamSide", states(leg.upstreamSide()));
        out.put("portsHeld", leg.portsHeld());
        long budget = (long) leg.portBudget() * sources;
        out.put("portBudget", budget);
        out.put("portBudgetUsedPercent", Math.round(10_000.0 * leg.portsHeld() / budget) / 100.0);
        return out;
    }

    private static Map<String, Object> sizing(List<SizingAdvice> advice, UpstreamConfig u, ServerConfig s) {
        for (SizingAdvice a : advice) {
            if (a.upstream().equals(u.name()) && a.server().equals(s.name())) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("window", SIZING_WINDOW);
                out.put("peakActivePerWorker", a.peakActivePerWorker());
                out.put("keepalive", a.keepalive());
                out.put("windowRequests", a.requests());
                out.put("windowOpened", a.opened());
                out.put("windowSurplus", a.surplus());
                out.put("churnPer1000", Math.round(a.churnPer1000() * 10) / 10.0);
                out.put("recommendedKeepalive", a.recommendedKeepalive());
                out.put("advice", advise(a, u));
                return out;
            }
        }
        return unavailable("no sizing window completed yet (one every " + SIZING_WINDOW + ")");
    }

    /** One sentence for the operator; the numbers behind it are next to it. */
    static String advise(SizingAdvice a, UpstreamConfig u) {
        if (!u.pooling()) {
            return "pooling is off (keepalive 0 or http-version 1.0): every request opens a connection";
        }
        if (a.auto()) {
            return "keepalive = auto keeps up to the peak of requests in flight (" + a.peakActivePerWorker()
                    + " per worker lately)";
        }
        if (a.recommendedKeepalive() > 0) {
            return "a worker had " + a.peakActivePerWorker() + " requests in flight but keepalive is " + a.keepalive()
                    + ": connections beyond it are closed and reopened; consider keepalive = " + a.recommendedKeepalive();
        }
        return "keepalive holds the peak";
    }

    /** The counts in the kernel's state order, with {@link #KEY_STATES} always present. */
    static Map<String, Integer> states(StateCounts counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (TcpState state : TcpState.values()) {
            int n = counts.count(state);
            if (n > 0 || KEY_STATES.contains(state)) {
                out.put(state.name(), n);
            }
        }
        return out;
    }

    private static Map<String, Object> unavailable(String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("unavailable", reason);
        return out;
    }

    private static Settings settings(UpstreamConfig u) {
        return new Settings(u.keepalive().toString(), u.keepaliveRequests(), duration(u.keepaliveTimeout()),
                duration(u.keepaliveTime()), u.maxConnections(), closeInitiator(u.closeInitiator()),
                u.httpVersion() == UpstreamHttpVersion.HTTP_1_1 ? "1.1" : "1.0");
    }

    /** The {@code closedBy} keys, in order. */
    static List<String> closeInitiators() {
        List<String> out = new ArrayList<>(3);
        for (ClosedBy c : ClosedBy.values()) {
            out.add(c.label());
        }
        return out;
    }

    /** The upstream leg's word for a close initiator, as written in the configuration. */
    static String closeInitiator(CloseInitiator c) {
        return switch (c) {
            case PROXY -> "proxy";
            case PEER -> "upstream";
            case RESET -> "reset";
        };
    }

    /** "1h", "15s", "1500ms": as the operator writes it in HOCON, rather than ISO-8601's PT1H. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}

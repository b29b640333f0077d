package dev.porter.bench.scenario;

import dev.porter.bench.backend.BenchBackend;
import dev.porter.bench.load.LoadGenerator;
import dev.porter.bench.load.LoadResult;
import dev.porter.bench.load.LoadSpec;
import dev.porter.bench.proxy.AdminStatus;
import dev.porter.bench.proxy.PortGuardSampler;
import dev.porter.bench.proxy.PorterSettings;
import dev.porter.bench.proxy.RunningProxy;
import dev.porter.bench.report.GuardPoint;
import dev.porter.bench.report.ModeResult;
import dev.porter.bench.tcp.TcpTable;
import dev.porter.bench.tcp.TimeWaitClassifier;
import dev.porter.bench.tcp.TimeWaitSampler;
import dev.porter.bench.tcp.TimelinePoint;
import dev.porter.metrics.Errno;
import dev.porter.tcp.ProcNetTcp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one {@link ModeSpec}: a fresh Tomcat (fresh port, so that TIME_WAIT left by an earlier
 * mode is not counted), Porter in front of it unless the mode is direct, the load for the
 * mode's duration with TIME_WAIT sampled every 500 ms and Porter's port budget guard every
 * second, then Porter's /status; stops what it started.
 */
public final class ModeRunner {
    private static final long SAMPLE_MILLIS = 500;
    private static final long GUARD_SAMPLE_MILLIS = 1000;

    private final RunOptions options;
    private final ProxyLauncher launcher;
    private final Cleanup cleanup;
    private final String host;
    private final int backendPort;
    private final TcpTable table;

    /**
     * @param host        loopback address everything binds to
     * @param backendPort Tomcat's port; 0 = any (use fixed ports only inside the bench's namespace,
     *                    where the ephemeral range is narrowed and must not hold listeners)
     */
    public ModeRunner(RunOptions options, ProxyLauncher launcher, Cleanup cleanup, String host, int backendPort) {
        this.options = options;
        this.launcher = launcher;
        this.cleanup = cleanup;
        this.host = host;
        this.backendPort = backendPort;
        this.table = ProcNetTcp::read;
    }

    public ModeResult run(ModeSpec mode) throws InterruptedException {
        int concurrency = mode.concurrency(options);
        Duration duration = mode.duration(options);
        BenchBackend backend = new BenchBackend(host, backendPort);
        backend.setKeepAliveTimeout(mode.backendKeepAliveTimeout());
        backend.setMaxKeepAliveRequests(mode.backendMaxKeepAliveRequests());
        backend.setMaxThreads(Math.max(200, concurrency * 2));
        backend.setAcceptCount(Math.max(100, concurrency));
        backend.setResponseDelay(mode.backendDelay());
        cleanup.register(backend);
        RunningProxy proxy = null;
        try {
            InetSocketAddress upstream = backend.start();
            List<InetSocketAddress> targets = List.of(upstream);
            if (!mode.direct()) {
                PorterSettings settings = settings(mode, options.workers(), host, launcher.listenPort(), upstream,
                        launcher.adminPort());
                try {
                    proxy = launcher.launch(settings);
                } catch (Exception e) {
                    return ModeResult.skipped(mode.name(), "Porter did not start: " + e.getMessage());
                }
                targets = clientTargets(proxy.address(), mode.clientAddresses());
            }
            LoadSpec spec = LoadSpec.closedLoop(targets.get(0), concurrency, duration)
                    .withTargets(targets).withRate(options.rate()).withConnection(mode.client());
            LoadGenerator generator = new LoadGenerator(spec);
            TimeWaitSampler sampler = new TimeWaitSampler(table,
                    new TimeWaitClassifier(upstream, targets.get(0).getPort()), generator.stats()::requests,
                    SAMPLE_MILLIS);
            PortGuardSampler guard = proxy == null || proxy.admin() == null ? null
                    : new PortGuardSampler(proxy.admin(), GUARD_SAMPLE_MILLIS);
            sampler.start();
            if (guard != null) {
                guard.start();
            }
            LoadResult load;
            try {
                load = generator.run();
            } finally {
                sampler.close();
                if (guard != null) {
                    guard.close();
                }
            }
            AdminStatus status = proxy == null ? AdminStatus.UNKNOWN : AdminStatus.fetch(proxy.admin());
            return result(mode, concurrency, duration, load, sampler.timeline(), status, guard);
        } finally {
            if (proxy != null) {
                cleanup.closeNow(proxy);
            }
            cleanup.closeNow(backend);
        }
    }

    /**
     * Porter's settings for a mode: its pool keys (none: the shipped defaults) and source
     * addresses, the listener on {@code host}, or on the wildcard address when the clients spread
     * over several local addresses.
     *
     * @param adminPort -1 for no admin listener
     */
    static PorterSettings settings(ModeSpec mode, int workers, String host, int listenPort, InetSocketAddress upstream,
            int adminPort) {
        String listenHost = mode.clientAddresses() > 1 ? "0.0.0.0" : host;
        return new PorterSettings(workers, new InetSocketAddress(listenHost, listenPort), upstream,
                adminPort < 0 ? null : new InetSocketAddress(host, adminPort), mode.pool(), mode.sourceAddresses());
    }

    /**
     * Where the clients connect: Porter's address, or with {@code addresses > 1} its port on
     * 127.0.0.1, 127.0.0.2, ... (Porter then listens on the wildcard address).
     */
    static List<InetSocketAddress> clientTargets(InetSocketAddress proxy, int addresses) {
        if (addresses <= 1) {
            return List.of(proxy);
        }
        List<InetSocketAddress> t = new ArrayList<>();
        for (int i = 1; i <= addresses; i++) {
            t.add(new InetSocketAddress(PortExhaustion.loopback(i), proxy.getPort()));
        }
        return t;
    }

    private static ModeResult result(ModeSpec mode, int concurrency, Duration duration, LoadResult load,
            List<TimelinePoint> timeline, AdminStatus status, PortGuardSampler guard) {
        List<GuardPoint> readings = guard == null ? List.of() : guard.points();
        Integer budget = readings.isEmpty() ? null : readings.get(readings.size() - 1).portBudget();
        return new ModeResult(mode.name(), load.requests(), load.requestsPerSecond(), load.status2xx(),
                load.status4xx(), load.status5xx(),
                mode.direct() ? Long.valueOf(load.connectErrors(Errno.EADDRNOTAVAIL))
                        : status.connectErrors(Errno.EADDRNOTAVAIL),
                load.connectErrors(Errno.EADDRNOTAVAIL),
                load.connectErrors(), load.ioErrors(), load.latencyMillis(50), load.latencyMillis(99),
                TimeWaitSampler.max(timeline, TimelinePoint::proxySide),
                TimeWaitSampler.max(timeline, TimelinePoint::upstreamSide),
                TimeWaitSampler.max(timeline, TimelinePoint::clientLeg),
                status.opened(), status.connectErrors(), load.timedOut() ? "in-flight requests cut at the end" : null,
                timeline, concurrency, duration.toMillis() / 1000.0, mode.describe(),
                readings.isEmpty() ? null : readings.stream().anyMatch(GuardPoint::engaged),
                GuardPoint.engagedShare(readings), guard == null ? null : guard.threshold(),
                GuardPoint.maxHeld(readings), budget, readings);
    }
}

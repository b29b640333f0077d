package dev.porter.bench.scenario;

import dev.porter.bench.backend.BenchBackend;
import dev.porter.bench.load.LoadGenerator;
import dev.porter.bench.load.LoadResult;
import dev.porter.bench.load.LoadSpec;
import dev.porter.bench.proxy.AdminStatus;
import dev.porter.bench.proxy.PorterSettings;
import dev.porter.bench.proxy.RunningProxy;
import dev.porter.bench.report.ModeResult;
import dev.porter.bench.tcp.TcpTable;
import dev.porter.bench.tcp.TimeWaitClassifier;
import dev.porter.bench.tcp.TimeWaitSampler;
import dev.porter.bench.tcp.TimelinePoint;
import dev.porter.metrics.Errno;
import dev.porter.tcp.ProcNetTcp;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Runs one {@link ModeSpec}: a fresh Tomcat (fresh port, so that TIME_WAIT left by an earlier
 * mode is not counted), Porter in front of it unless the mode is direct, the load for the
 * run's duration with TIME_WAIT sampled every 500 ms, then Porter's /status; stops what it
 * started.
 */
public final class ModeRunner {
    private static final long SAMPLE_MILLIS = 500;

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
        BenchBackend backend = new BenchBackend(host, backendPort);
        backend.setKeepAliveTimeout(mode.backendKeepAliveTimeout());
        backend.setMaxKeepAliveRequests(mode.backendMaxKeepAliveRequests());
        backend.setMaxThreads(Math.max(200, options.concurrency() * 2));
        cleanup.register(backend);
        RunningProxy proxy = null;
        try {
            InetSocketAddress upstream = backend.start();
            InetSocketAddress target = upstream;
            if (!mode.direct()) {
                int admin = launcher.adminPort();
                PorterSettings settings = new PorterSettings(options.workers(),
                        new InetSocketAddress(host, launcher.listenPort()), upstream,
                        admin < 0 ? null : new InetSocketAddress(host, admin), mode.keepalive(),
                        mode.keepaliveRequests(), mode.httpVersion(), mode.closeInitiator());
                try {
                    proxy = launcher.launch(settings);
                } catch (Exception e) {
                    return ModeResult.skipped(mode.name(), "Porter did not start: " + e.getMessage());
                }
                target = proxy.address();
            }
            LoadSpec spec = LoadSpec.closedLoop(target, options.concurrency(), options.duration())
                    .withRate(options.rate()).withConnection(mode.client());
            LoadGenerator generator = new LoadGenerator(spec);
            TimeWaitSampler sampler = new TimeWaitSampler(table, new TimeWaitClassifier(upstream, target.getPort()),
                    generator.stats()::requests, SAMPLE_MILLIS);
            sampler.start();
            LoadResult load;
            try {
                load = generator.run();
            } finally {
                sampler.close();
            }
            AdminStatus status = proxy == null ? AdminStatus.UNKNOWN : AdminStatus.fetch(proxy.admin());
            return result(mode, load, sampler.timeline(), status);
        } finally {
            if (proxy != null) {
                cleanup.closeNow(proxy);
            }
            cleanup.closeNow(backend);
        }
    }

    private static ModeResult result(ModeSpec mode, LoadResult load, List<TimelinePoint> timeline, AdminStatus status) {
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
                timeline);
    }
}

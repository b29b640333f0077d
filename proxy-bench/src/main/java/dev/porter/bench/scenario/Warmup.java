package dev.porter.bench.scenario;

import dev.porter.bench.load.ClientConnection;
import dev.porter.bench.load.LoadDriver;
import dev.porter.bench.load.LoadGenerator;
import dev.porter.bench.load.LoadResult;
import dev.porter.bench.load.LoadSpec;
import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.PorterSettings;
import dev.porter.bench.proxy.ProcessCpu;
import dev.porter.bench.proxy.RunningProxy;
import dev.porter.bench.report.WarmupResult;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The warmup scenario: Porter's requests/s second by second from a cold start (goal: within 10 s
 * of start, at least 80% of steady state). The bench's own Netty generator drives it (it counts
 * responses live; wrk reports only at its end), after that generator was itself warmed against
 * the origin, so that the client's JIT does not shape Porter's curve. Seconds count from Porter's
 * spawn; load starts the moment its listener accepts.
 */
public final class Warmup {
    public static final String NAME = "warmup";

    private final Duration duration;
    private final int concurrency;
    private final int workers;
    private final int steadyWindow;
    private final Duration clientWarmup;
    private final ProxyLauncher porter;
    private final Launch launch;
    private final Cleanup cleanup;
    private final PrintStream log;
    private final Map<String, String> setup = new LinkedHashMap<>();

    public Warmup(Duration duration, int concurrency, int workers, int steadyWindow, Duration clientWarmup,
            ProxyLauncher porter, Launch launch, Cleanup cleanup, PrintStream log) {
        this.duration = duration;
        this.concurrency = concurrency;
        this.workers = workers;
        this.steadyWindow = steadyWindow;
        this.clientWarmup = clientWarmup;
        this.porter = porter;
        this.launch = launch;
        this.cleanup = cleanup;
        this.log = log;
    }

    public Map<String, String> setup() {
        return setup;
    }

    public WarmupResult run() throws Exception {
        Targets targets = new Targets(launch, cleanup, log);
        RunningProxy origin = targets.startOrigin("static", 200);
        setup.putAll(targets.setup());
        setup.put("pinning", launch.describe());
        setup.put("load", LoadDriver.bench(ClientConnection.KEEPALIVE).describe() + ", concurrency " + concurrency
                + ", itself warmed " + clientWarmup.toSeconds() + " s against the origin first");
        setup.put("porter", "workers " + workers + ", upstream keepalive " + concurrency + " per worker");
        log.printf("warming the load generator against the origin for %s%n", clientWarmup);
        LoadDriver.bench(ClientConnection.KEEPALIVE).run(origin.address(), concurrency, clientWarmup);

        int admin = porter.adminPort();
        PorterSettings settings = new PorterSettings(workers, new InetSocketAddress("127.0.0.1", porter.listenPort()),
                origin.address(), admin < 0 ? null : new InetSocketAddress("127.0.0.1", admin), concurrency, 1000,
                "1.1", "proxy");
        long spawned = System.nanoTime();
        RunningProxy p = porter.launch(settings);
        if (!p.transport().isEmpty()) {
            setup.put("porter", setup.get("porter") + ", transport " + p.transport());
        }
        double listeningAfter = (System.nanoTime() - spawned) / 1e9;
        log.printf("porter: %s listening %.2f s after spawn; loading for %s%n", p, listeningAfter, duration);

        LoadGenerator generator = new LoadGenerator(LoadSpec.closedLoop(p.address(), concurrency, duration));
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "warmup-load");
            t.setDaemon(true);
            return t;
        });
        List<Double> rps = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        Double startupCpu = null;
        try {
            long start = System.nanoTime();
            Future<LoadResult> load = runner.submit(generator::run);
            long lastRequests = 0;
            Optional<ProcessCpu.Times> lastCpu = ProcessCpu.times(p.pid().orElse(-1));
            startupCpu = lastCpu.map(t -> t.total() / 1000.0).orElse(null);
            for (int second = 1; second <= duration.toSeconds(); second++) {
                // paces the one-second samples; the load runs on its own threads meanwhile
                long due = start + TimeUnit.SECONDS.toNanos(second);
                for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                    LockSupport.parkNanos(due - now);
                }
                long requests = generator.stats().requests();
                Optional<ProcessCpu.Times> c = ProcessCpu.times(p.pid().orElse(-1));
                rps.add((double) (requests - lastRequests));
                cpu.add(c.isPresent() && lastCpu.isPresent() ? c.get().minus(lastCpu.get()).total() / 1000.0 : Double.NaN);
                lastRequests = requests;
                lastCpu = c;
                if (second % 10 == 0) {
                    log.printf("t=%5.1f s after spawn: %6.0f req/s%n", listeningAfter + second, rps.get(rps.size() - 1));
                }
            }
            load.get(duration.toSeconds() + 30, TimeUnit.SECONDS);
        } finally {
            runner.shutdownNow();
            cleanup.closeNow(p);
            cleanup.closeNow(origin);
        }
        return WarmupResult.of(listeningAfter, startupCpu, rps, cpu, steadyWindow);
    }
}

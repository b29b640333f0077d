package dev.porter.bench.scenario;

import dev.porter.bench.backend.BenchBackend;
import dev.porter.bench.load.LoadGenerator;
import dev.porter.bench.load.LoadResult;
import dev.porter.bench.load.LoadSpec;
import dev.porter.bench.load.Wrk;
import dev.porter.bench.proxy.AdminStatus;
import dev.porter.bench.proxy.NginxProcess;
import dev.porter.bench.proxy.PorterConfigWriter;
import dev.porter.bench.proxy.NginxSettings;
import dev.porter.bench.proxy.PorterSettings;
import dev.porter.bench.proxy.ProcessCpu;
import dev.porter.bench.proxy.ProcessMemory;
import dev.porter.bench.proxy.RunningProxy;
import dev.porter.bench.report.TargetResult;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The throughput scenario: one Tomcat reached directly, through Porter and through nginx
 * (when installed), both proxies with the same workers and the same per-worker pool. Rounds
 * are interleaved (direct, porter, nginx, direct, ...) so that drift of the machine hits every
 * target alike; each target gets an unrecorded warm-up first. CPU per request is the proxy
 * process's utime+stime delta over a round, divided by the round's requests.
 */
public final class Throughput {
    public static final String NAME = "throughput";

    private final RunOptions options;
    private final int rounds;
    private final ProxyLauncher porterLauncher;
    private final Optional<Path> nginx;
    private final Cleanup cleanup;
    private final PrintStream log;
    private Optional<Path> wrk = Optional.empty();
    private Duration warmup = Duration.ofSeconds(15);
    private int keepalive;

    public Throughput(RunOptions options, int rounds, ProxyLauncher porterLauncher, Optional<Path> nginx,
            Cleanup cleanup, PrintStream log) {
        this.options = options;
        this.rounds = rounds;
        this.porterLauncher = porterLauncher;
        this.nginx = nginx;
        this.cleanup = cleanup;
        this.log = log;
    }

    /**
     * Both proxies' {@code keepalive} per worker; 0 (default) = the concurrency, so that however the
     * client connections spread over the workers, neither proxy churns upstream connections.
     */
    public Throughput withKeepalive(int n) {
        this.keepalive = n;
        return this;
    }

    /** Unrecorded load per target before the rounds (JIT for Porter, caches for all). */
    public Throughput withWarmup(Duration d) {
        this.warmup = d;
        return this;
    }

    /** Also loads every target once with wrk after the rounds, as a cross-check of the bench's generator. */
    public Throughput withWrk(Optional<Path> wrkBinary) {
        this.wrk = wrkBinary;
        return this;
    }

    /** Runs every target; returns results in the order direct, porter, nginx. */
    public List<TargetResult> run() throws Exception {
        BenchBackend backend = cleanup.register(new BenchBackend("127.0.0.1", 0));
        // the backend must not be what is measured: no per-connection request limit
        backend.setMaxKeepAliveRequests(-1);
        // and never the first to close an idle connection: the proxies' idle timeout is 15 s
        backend.setKeepAliveTimeout(Duration.ofSeconds(60));
        backend.setMaxThreads(Math.max(200, options.concurrency() * 2));
        InetSocketAddress upstream = backend.start();
        Map<String, RunningProxy> proxies = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        int pool = keepalive > 0 ? keepalive : options.concurrency();
        log.printf("both proxies: %d workers, keepalive %d idle upstream connections per worker%n", options.workers(), pool);
        try {
            int admin = porterLauncher.adminPort();
            proxies.put("porter", porterLauncher.launch(new PorterSettings(options.workers(),
                    new InetSocketAddress("127.0.0.1", porterLauncher.listenPort()), upstream,
                    admin < 0 ? null : new InetSocketAddress("127.0.0.1", admin), pool, 1000, "1.1", "proxy")));
        } catch (Exception e) {
            skipped.put("porter", "Porter did not start: " + e.getMessage());
        }
        if (nginx.isPresent()) {
            try {
                Path dir = Files.createTempDirectory("porter-bench-nginx");
                proxies.put("nginx", cleanup.register(NginxProcess.start(nginx.get(), new NginxSettings(options.workers(),
                        new InetSocketAddress("127.0.0.1", Ports.free()), upstream, pool, dir))));
            } catch (Exception e) {
                skipped.put("nginx", "nginx did not start: " + e.getMessage());
            }
        } else {
            skipped.put("nginx", "nginx not found on PATH or at /usr/sbin/nginx");
        }
        proxies.forEach((n, p) -> log.printf("%s: %s listening on %s%n", n, p, PorterConfigWriter.hostPort(p.address())));
        skipped.forEach((n, why) -> log.printf("%s: skipped: %s%n", n, why));
        List<String> names = new ArrayList<>();
        names.add("direct");
        names.addAll(proxies.keySet());
        Map<String, Acc> acc = new LinkedHashMap<>();
        for (String n : names) {
            acc.put(n, new Acc());
            log.printf("warm-up %s for %s%n", n, warmup);
            once(target(n, upstream, proxies), warmup);
        }
        for (int round = 1; round <= rounds; round++) {
            for (String n : names) {
                OptionalLong pid = n.equals("direct") ? OptionalLong.empty() : proxies.get(n).pid();
                OptionalLong cpuBefore = cpu(pid);
                LoadResult r = once(target(n, upstream, proxies), options.duration());
                OptionalLong cpuAfter = cpu(pid);
                acc.get(n).add(r, cpuBefore, cpuAfter);
                log.printf("round %d %-7s %10.0f req/s  p99 %.2f ms%n", round, n, r.requestsPerSecond(),
                        r.latencyMillis(99));
            }
        }
        Map<String, Wrk.Result> wrkResults = new LinkedHashMap<>();
        Map<String, Long> peakRssKiB = new LinkedHashMap<>();
        if (wrk.isPresent()) {
            for (String n : names) {
                InetSocketAddress t = target(n, upstream, proxies);
                OptionalLong pid = n.equals("direct") ? OptionalLong.empty() : proxies.get(n).pid();
                try {
                    OptionalLong before = cpu(pid);
                    Wrk.Result w = Wrk.run(wrk.get(), "http://" + PorterConfigWriter.hostPort(t) + "/",
                            Math.min(2, options.concurrency()), options.concurrency(), options.duration());
                    OptionalLong after = cpu(pid);
                    // wrk reports no request count: requests = rps * duration, close enough for a cross-check
                    double reqs = w.rps() * Math.max(1, options.duration().toSeconds());
                    if (before.isPresent() && after.isPresent() && reqs > 0) {
                        w = w.withCpu((after.getAsLong() - before.getAsLong()) / reqs);
                    }
                    wrkResults.put(n, w);
                    log.printf("wrk     %-7s %10.0f req/s  p99 %.2f ms%n", n, w.rps(), w.p99Millis());
                } catch (Exception e) {
                    log.printf("wrk     %-7s failed: %s%n", n, e.getMessage());
                }
            }
        }
        AdminStatus porterStatus = proxies.containsKey("porter") ? AdminStatus.fetch(proxies.get("porter").admin())
                : AdminStatus.UNKNOWN;
        if (porterStatus.opened() != null) {
            log.printf("porter /status: %d upstream connections opened, closed by reason %s, connect errors %s%n",
                    porterStatus.opened(), porterStatus.closedReason(), porterStatus.connectErrors());
        }
        // Peak resident memory of each proxy over the whole run (warm-up included), before they stop.
        proxies.forEach((n, p) -> p.pid().ifPresent(pid -> ProcessMemory.peakRssKiB(pid).ifPresent(kib -> {
            peakRssKiB.put(n, kib);
            log.printf("%s peak RSS %.1f MiB%n", n, kib / 1024.0);
        })));
        proxies.values().forEach(cleanup::closeNow);
        cleanup.closeNow(backend);
        List<TargetResult> results = new ArrayList<>();
        for (String n : List.of("direct", "porter", "nginx")) {
            AdminStatus status = n.equals("porter") ? porterStatus : AdminStatus.UNKNOWN;
            Long kib = peakRssKiB.get(n);
            results.add(acc.containsKey(n) ? acc.get(n).result(n, status).withWrk(wrkResults.get(n))
                    .withPeakRss(kib == null ? null : kib / 1024.0)
                    : TargetResult.skipped(n, skipped.get(n)));
        }
        return results;
    }

    /** Porter/nginx and Porter/direct for requests/s, p99 and CPU per request, where both ran. */
    public static Map<String, Double> ratios(List<TargetResult> targets) {
        Map<String, TargetResult> by = new LinkedHashMap<>();
        targets.stream().filter(TargetResult::ran).forEach(t -> by.put(t.name(), t));
        Map<String, Double> ratios = new LinkedHashMap<>();
        TargetResult porter = by.get("porter");
        if (porter == null) {
            return ratios;
        }
        for (String other : List.of("nginx", "direct")) {
            TargetResult o = by.get(other);
            if (o != null) {
                ratios.put("porter_over_" + other + "_rps", div(porter.rps(), o.rps()));
                ratios.put("porter_over_" + other + "_p99", div(porter.p99Millis(), o.p99Millis()));
                if (porter.peakRssMiB() != null && o.peakRssMiB() != null) {
                    ratios.put("porter_over_" + other + "_peak_rss", div(porter.peakRssMiB(), o.peakRssMiB()));
                }
                if (porter.cpuMicrosPerRequest() != null && o.cpuMicrosPerRequest() != null) {
                    ratios.put("porter_over_" + other + "_cpu_per_request",
                            div(porter.cpuMicrosPerRequest(), o.cpuMicrosPerRequest()));
                }
            }
        }
        return ratios;
    }

    private static Double div(double a, double b) {
        return b == 0 ? null : a / b;
    }

    private static InetSocketAddress target(String name, InetSocketAddress upstream, Map<String, RunningProxy> proxies) {
        return name.equals("direct") ? upstream : proxies.get(name).address();
    }

    private LoadResult once(InetSocketAddress target, Duration duration) throws InterruptedException {
        LoadSpec spec = LoadSpec.closedLoop(target, options.concurrency(), duration).withRate(options.rate());
        return new LoadGenerator(spec).run();
    }

    private static OptionalLong cpu(OptionalLong pid) {
        return pid.isPresent() ? ProcessCpu.micros(pid.getAsLong()) : OptionalLong.empty();
    }

    /** Sums of one target's measured rounds. */
    private static final class Acc {
        private final Histogram latency = new Histogram(3);
        private final List<Double> roundRps = new ArrayList<>();
        private long requests;
        private long errors;
        private long nanos;
        private long cpuMicros;
        private boolean cpuKnown = true;

        void add(LoadResult r, OptionalLong cpuBefore, OptionalLong cpuAfter) {
            latency.add(r.latency());
            roundRps.add(r.requestsPerSecond());
            requests += r.requests();
            errors += r.requests() - r.status2xx();
            errors += r.connectErrors().values().stream().mapToLong(Long::longValue).sum();
            errors += r.ioErrors().values().stream().mapToLong(Long::longValue).sum();
            nanos += r.elapsedNanos();
            if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                cpuMicros += cpuAfter.getAsLong() - cpuBefore.getAsLong();
            } else {
                cpuKnown = false;
            }
        }

        TargetResult result(String name, AdminStatus status) {
            double rps = nanos == 0 ? 0 : requests * 1e9 / nanos;
            Double cpu = cpuKnown && requests > 0 ? (double) cpuMicros / requests : null;
            return new TargetResult(name, requests, rps, ms(50), ms(90), ms(99), ms(99.9), cpu, errors,
                    List.copyOf(roundRps), status.opened(), status.connectErrors(), null, null, null);
        }

        private double ms(double percentile) {
            return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e6;
        }
    }
}

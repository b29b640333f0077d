package dev.porter.bench.scenario;

import dev.porter.bench.load.LoadDriver;
import dev.porter.bench.load.LoadSample;
import dev.porter.bench.proxy.AdminStatus;
import dev.porter.bench.proxy.BenchCertificate;
import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.ProcessCpu;
import dev.porter.bench.proxy.RunningProxy;
import dev.porter.bench.proxy.TempDirs;
import dev.porter.bench.proxy.TlsParameters;
import dev.porter.bench.proxy.TlsProbe;
import dev.porter.bench.report.TargetResult;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The throughput scenario: one origin reached directly, through Porter and through each peer
 * (nginx, HAProxy) that is installed, all configured to do the same work (see {@link Targets}).
 * Every target gets an unrecorded warm-up, then rounds are interleaved (round 1: at each
 * concurrency direct, porter, nginx, haproxy; round 2: the same; ...) so that drift of the
 * machine hits every target alike. CPU per request is a process's utime and stime delta over a
 * measurement, divided by the measurement's requests, for the proxy, the origin and the load
 * generator alike.
 *
 * <p>With TLS every proxy serves one certificate made for the run, with Porter's protocols and
 * suites, and the clients speak https: keep-alive measures TLS's cost per request (record
 * encryption), a new connection per request its cost per handshake. The origin stays plain
 * HTTP, so {@code direct} is not measured then.
 */
public final class Throughput {
    public static final String NAME = "throughput";
    /** The report's name for a {@code --tls} run. */
    public static final String NAME_TLS = "throughput-tls";

    private final ThroughputPlan plan;
    private final ProxyLauncher porterLauncher;
    private final LoadDriver driver;
    private final Launch launch;
    private final Cleanup cleanup;
    private final PrintStream log;
    private final Map<String, String> setup = new LinkedHashMap<>();

    public Throughput(ThroughputPlan plan, ProxyLauncher porterLauncher, LoadDriver driver, Launch launch,
            Cleanup cleanup, PrintStream log) {
        this.plan = plan;
        this.porterLauncher = porterLauncher;
        this.driver = driver;
        this.launch = launch;
        this.cleanup = cleanup;
        this.log = log;
    }

    /** How the run was made, for the report; complete after {@link #run()}. */
    public Map<String, String> setup() {
        return setup;
    }

    /** Runs every target at every concurrency; results by concurrency, then direct, porter, peers. */
    public List<TargetResult> run() throws Exception {
        Targets targets = new Targets(launch, cleanup, log);
        RunningProxy origin = targets.startOrigin(plan.origin(), Math.max(200, 2 * maxConcurrency()));
        Map<String, String> skipped = new LinkedHashMap<>();
        BenchCertificate certificate = plan.tls() ? certificate() : null;
        Map<String, RunningProxy> proxies = targets.startProxies(porterLauncher, plan.peers(), plan.workers(),
                plan.pool(), plan.haproxyReuse(), certificate, skipped);
        Map<String, Double> rssStart = new LinkedHashMap<>();
        proxies.forEach((n, p) -> rssStart.put(n, Targets.rssMiB(p)));
        setup.putAll(targets.setup());
        setup.put("load", driver.describe());
        setup.put("pinning", launch.describe());
        setup.put("concurrency", plan.concurrencies().toString());
        setup.put("rounds", plan.rounds() + " interleaved rounds of " + plan.duration().toSeconds() + " s per target "
                + "and concurrency");
        setup.put("warmup", "porter " + plan.porterWarmup().toSeconds() + " s, others " + plan.warmup().toSeconds()
                + " s, unrecorded, at concurrency " + plan.concurrencies().get(0) + ", in sessions of "
                + plan.duration().toSeconds() + " s, each on new connections, the targets' sessions in turn (as the rounds)"
                + (plan.concurrencies().size() > 1 && !plan.levelWarmup().isZero()
                        ? "; then " + plan.levelWarmup().toSeconds() + " s per target at each other concurrency, "
                        + "unrecorded, just before its first round" : ""));
        setup.put("clients", plan.newConnectionPerRequest() ? "a new connection per request" : "keep-alive");
        if (certificate != null) {
            describeTls(proxies, certificate);
        }

        List<String> names = new ArrayList<>();
        if (certificate == null) {
            names.add("direct");
        }
        names.addAll(proxies.keySet());
        Map<String, RunningProxy> running = new LinkedHashMap<>(proxies);
        running.put("direct", origin);
        Map<String, Duration> warmups = new LinkedHashMap<>();
        for (String n : names) {
            Duration w = n.equals("porter") ? plan.porterWarmup() : plan.warmup();
            warmups.put(n, w);
            log.printf("warm-up %s for %s at concurrency %d, %d sessions%n", n, w, plan.concurrencies().get(0),
                    plan.warmupSessions(w).size());
        }
        for (Map.Entry<String, Duration> session : plan.warmupOrder(warmups)) {
            driver.run(running.get(session.getKey()).address(), plan.concurrencies().get(0), session.getValue());
        }
        Map<String, Acc> acc = new LinkedHashMap<>();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (int c : plan.concurrencies()) {
                for (String n : names) {
                    RunningProxy target = running.get(n);
                    Duration settle = plan.warmupBefore(round, c);
                    if (!settle.isZero()) {
                        log.printf("warm-up %s for %s at concurrency %d%n", n, settle, c);
                        driver.run(target.address(), c, settle);
                    }
                    OptionalLong proxyPid = n.equals("direct") ? OptionalLong.empty() : target.pid();
                    Optional<ProcessCpu.Times> proxyBefore = times(proxyPid);
                    Optional<ProcessCpu.Times> originBefore = times(origin.pid());
                    LoadSample s = driver.run(target.address(), c, plan.duration());
                    Optional<ProcessCpu.Times> proxyAfter = times(proxyPid);
                    Optional<ProcessCpu.Times> originAfter = times(origin.pid());
                    acc.computeIfAbsent(key(n, c), k -> new Acc()).add(s, delta(proxyBefore, proxyAfter),
                            delta(originBefore, originAfter));
                    log.printf("round %d c=%-5d %-8s %9.0f req/s  p99 %7.2f ms  proxy CPU %s us/req%s%n", round, c, n,
                            s.rps(), s.p99Millis(), perRequest(delta(proxyBefore, proxyAfter), s.requests()),
                            s.errors() > 0 ? "  errors: " + s.errorText() : "");
                }
            }
        }
        AdminStatus porterStatus = proxies.containsKey("porter") ? AdminStatus.fetch(proxies.get("porter").admin())
                : AdminStatus.UNKNOWN;
        if (porterStatus.opened() != null) {
            log.printf("porter /status: %d upstream connections opened, closed by reason %s, connect errors %s%n",
                    porterStatus.opened(), porterStatus.closedReason(), porterStatus.connectErrors());
        }
        Map<String, Double> peak = new LinkedHashMap<>();
        proxies.forEach((n, p) -> peak.put(n, Targets.peakRssMiB(p)));
        proxies.values().forEach(cleanup::closeNow);
        cleanup.closeNow(origin);

        List<TargetResult> results = new ArrayList<>();
        for (int c : plan.concurrencies()) {
            for (String n : names) {
                AdminStatus status = n.equals("porter") ? porterStatus : AdminStatus.UNKNOWN;
                results.add(acc.get(key(n, c)).result(n, c, status).withMemory(rssStart.get(n), peak.get(n)));
            }
        }
        skipped.forEach((n, why) -> results.add(TargetResult.skipped(n, why)));
        return results;
    }

    /**
     * The run's certificates, in a temp dir deleted with the run (after the proxies that read
     * it, which were registered later and so are closed first).
     */
    private BenchCertificate certificate() throws Exception {
        Path openssl = BenchCertificate.locateOpenssl()
                .orElseThrow(() -> new IllegalStateException("--tls needs openssl (apt-get install openssl)"));
        Path dir = Files.createTempDirectory("porter-bench-tls");
        cleanup.register(() -> TempDirs.deleteQuietly(dir));
        return BenchCertificate.generate(openssl, dir, plan.tlsKeys());
    }

    /**
     * The report's TLS lines: what every listener was given, and what each one agreed with an
     * OpenSSL client (the same protocol, suite, key exchange and signature everywhere, or the
     * comparison says so). No {@code direct}: the origin speaks plain HTTP.
     */
    private void describeTls(Map<String, RunningProxy> proxies, BenchCertificate certificate) throws InterruptedException {
        setup.put("tls", "TLS on every proxy's listener, the same certificates (" + certificate.description() + "), "
                + TlsParameters.DESCRIPTION + "; the clients speak https without verifying"
                + (plan.newConnectionPerRequest() ? " and resume no session: a full handshake per request" : ""));
        setup.put("direct", "not measured with --tls: the origin speaks plain HTTP");
        Path openssl = BenchCertificate.locateOpenssl().orElseThrow();
        for (Map.Entry<String, RunningProxy> e : proxies.entrySet()) {
            String agreed = TlsProbe.probe(openssl, e.getValue().address());
            setup.put("tls_" + e.getKey(), agreed);
            log.printf("%s TLS: %s%n", e.getKey(), agreed);
        }
    }

    private int maxConcurrency() {
        return plan.concurrencies().stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private static String key(String name, int concurrency) {
        return name + "@" + concurrency;
    }

    private static Optional<ProcessCpu.Times> times(OptionalLong pid) {
        return pid.isPresent() ? ProcessCpu.times(pid.getAsLong()) : Optional.empty();
    }

    private static ProcessCpu.Times delta(Optional<ProcessCpu.Times> before, Optional<ProcessCpu.Times> after) {
        return before.isPresent() && after.isPresent() ? after.get().minus(before.get()) : null;
    }

    private static String perRequest(ProcessCpu.Times t, long requests) {
        return t == null || requests == 0 ? "-" : String.format("%.1f", (double) t.total() / requests);
    }

    /**
     * Porter ÷ each other target, per concurrency: requests/s, p99 and CPU per request (keys
     * {@code porter_over_nginx_rps_c50}); and peak RSS once per peer ({@code porter_over_nginx_peak_rss}).
     * With the control peer ({@link Targets#TWIN}) also nginx ÷ twin, the same ratios between two
     * identical nginx ({@code nginx_over_twin_p99_c50}): the distance from 1.0 that the host's noise
     * alone makes in this run, to read Porter's ratios against.
     */
    public static Map<String, Double> ratios(List<TargetResult> targets) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        List<TargetResult> ran = targets.stream().filter(TargetResult::ran).toList();
        List<String> others = new ArrayList<>();
        ran.stream().map(TargetResult::name)
                .filter(n -> !n.equals("porter") && !n.equals(Targets.TWIN) && !others.contains(n))
                .sorted((a, b) -> Boolean.compare(a.equals("direct"), b.equals("direct"))).forEach(others::add);
        for (String other : others) {
            ratios(ran, "porter", other, ratios);
        }
        ratios(ran, "nginx", Targets.TWIN, ratios);
        return ratios;
    }

    /** {@code a} ÷ {@code b} at each concurrency both ran, into {@code ratios}. */
    private static void ratios(List<TargetResult> ran, String a, String b, Map<String, Double> ratios) {
        for (TargetResult x : ran.stream().filter(t -> t.name().equals(a)).toList()) {
            Optional<TargetResult> o = ran.stream()
                    .filter(t -> t.name().equals(b) && Objects.equals(t.concurrency(), x.concurrency()))
                    .findFirst();
            if (o.isEmpty()) {
                continue;
            }
            String k = a + "_over_" + b + "_";
            String suffix = x.concurrency() == null ? "" : "_c" + x.concurrency();
            put(ratios, k + "rps" + suffix, x.rps(), o.get().rps());
            put(ratios, k + "p99" + suffix, x.p99Millis(), o.get().p99Millis());
            put(ratios, k + "cpu_per_request" + suffix, x.cpuMicrosPerRequest(), o.get().cpuMicrosPerRequest());
            put(ratios, k + "peak_rss", x.peakRssMiB(), o.get().peakRssMiB());
        }
    }

    private static void put(Map<String, Double> ratios, String key, Double a, Double b) {
        if (a != null && b != null && b != 0) {
            ratios.putIfAbsent(key, a / b);
        }
    }

    /** Sums of one target's measured rounds at one concurrency. */
    private static final class Acc {
        private final List<LoadSample> samples = new ArrayList<>();
        private long proxyUser;
        private long proxySys;
        private boolean proxyKnown = true;
        private long originCpu;
        private boolean originKnown = true;
        private long clientCpu;
        private boolean clientKnown = true;

        void add(LoadSample s, ProcessCpu.Times proxy, ProcessCpu.Times origin) {
            samples.add(s);
            if (proxy != null) {
                proxyUser += proxy.user();
                proxySys += proxy.sys();
            } else {
                proxyKnown = false;
            }
            if (origin != null) {
                originCpu += origin.total();
            } else {
                originKnown = false;
            }
            if (s.clientCpu() != null) {
                clientCpu += s.clientCpu().total();
            } else {
                clientKnown = false;
            }
        }

        TargetResult result(String name, int concurrency, AdminStatus status) {
            long requests = samples.stream().mapToLong(LoadSample::requests).sum();
            double seconds = samples.stream().mapToDouble(LoadSample::seconds).sum();
            long errors = samples.stream().mapToLong(LoadSample::errors).sum();
            String kinds = samples.stream().map(LoadSample::errorText).filter(java.util.Objects::nonNull)
                    .reduce((a, b) -> a + "; " + b).orElse(null);
            Double user = proxyKnown && requests > 0 ? (double) proxyUser / requests : null;
            Double sys = proxyKnown && requests > 0 ? (double) proxySys / requests : null;
            Double p999 = samples.stream().allMatch(s -> s.p999Millis() != null)
                    ? median(samples.stream().map(LoadSample::p999Millis).toList()) : null;
            return new TargetResult(name, concurrency, requests, seconds == 0 ? 0 : requests / seconds,
                    median(samples.stream().map(LoadSample::p50Millis).toList()),
                    median(samples.stream().map(LoadSample::p90Millis).toList()),
                    median(samples.stream().map(LoadSample::p99Millis).toList()), p999,
                    user == null ? null : user + sys, user, sys,
                    originKnown && requests > 0 ? (double) originCpu / requests : null,
                    clientKnown && requests > 0 ? (double) clientCpu / requests : null,
                    errors, kinds, samples.stream().map(LoadSample::rps).toList(), status.opened(),
                    status.connectErrors(), null, null, null);
        }

        private static double median(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            if (n == 0) {
                return 0;
            }
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }
}

package dev.porter.bench;

import dev.porter.bench.load.Ab;
import dev.porter.bench.load.ClientConnection;
import dev.porter.bench.load.LoadDriver;
import dev.porter.bench.load.Wrk;
import dev.porter.bench.proxy.BenchCertificate;
import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.PorterCommand;
import dev.porter.bench.report.BenchReport;
import dev.porter.bench.report.ConsoleTable;
import dev.porter.bench.report.Machine;
import dev.porter.bench.report.RatioSpread;
import dev.porter.bench.report.TargetResult;
import dev.porter.bench.scenario.Cleanup;
import dev.porter.bench.scenario.Launchers;
import dev.porter.bench.scenario.Throughput;
import dev.porter.bench.scenario.ThroughputPlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code porter-bench throughput}: direct vs Porter vs nginx and HAProxy, interleaved rounds, at each concurrency. */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = "Requests/s, latency, CPU per request and memory: the origin directly, through Porter, through "
                + "nginx and HAProxy configured to do the same work, at each --concurrency, in interleaved rounds.")
final class ThroughputCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    ServerOptions servers;

    @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "15s", converter = DurationConverter.class,
            description = "unrecorded load per target before the rounds (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--porter-warmup", converter = DurationConverter.class,
            description = "Porter's warm-up, if it should differ from --warmup (its JIT), e.g. 90s")
    Duration porterWarmup;

    @Option(names = "--level-warmup", converter = DurationConverter.class, defaultValue = "5s",
            description = "unrecorded load per target at each concurrency after the first, just before its first round "
                    + "(pools grow, Porter's JIT adapts), e.g. 5s; 0s for none (default 5s)")
    Duration levelWarmup;

    @Option(names = "--keepalive", defaultValue = "0",
            description = "every proxy's idle upstream connections per worker (default: the largest concurrency)")
    int keepalive;

    @Option(names = "--origin", defaultValue = "static",
            description = "static (nginx return 200 with a 6-byte body when installed, else a minimal Netty origin) or "
                    + "tomcat (default ${DEFAULT-VALUE})")
    String origin;

    @Option(names = "--load", defaultValue = "auto",
            description = "load generator: auto (wrk for keep-alive, ab for --new-connection-per-request, the bench's "
                    + "own when those are not installed), wrk, ab, bench (default ${DEFAULT-VALUE})")
    String load;

    // the README's older command line: the same as --load wrk
    @Option(names = "--wrk", hidden = true)
    boolean wrk;

    @Option(names = "--wrk-threads", defaultValue = "0", description = "wrk threads (default: the load CPUs' count)")
    int wrkThreads;

    @Option(names = "--new-connection-per-request",
            description = "clients open a connection for every request (ab without -k, or the bench's generator with "
                    + "Connection: close): the report's req/s are connections/s, CPU per request is per connection")
    boolean newConnectionPerRequest;

    @Option(names = "--tls",
            description = "every proxy's listener speaks TLS with one self-signed certificate made for the run "
                    + "(openssl), the clients https (wrk, or ab with --new-connection-per-request: then req/s are "
                    + "handshakes/s); direct is not measured (the origin is plain HTTP)")
    boolean tls;

    @Option(names = "--tls-keys", defaultValue = "rsa", converter = TlsKeysConverter.class,
            description = "with --tls, the certificates every proxy serves: rsa (RSA 2048), ecdsa (ECDSA P-256), or "
                    + "both for the same name, ECDSA preferred, RSA for clients that accept nothing else "
                    + "(default ${DEFAULT-VALUE})")
    BenchCertificate.Keys tlsKeys;

    /** rsa, ecdsa or both, refused with the choices otherwise. */
    static final class TlsKeysConverter implements CommandLine.ITypeConverter<BenchCertificate.Keys> {
        @Override
        public BenchCertificate.Keys convert(String value) {
            BenchCertificate.Keys k = BenchCertificate.Keys.parse(value);
            if (k == null) {
                throw new CommandLine.TypeConversionException("\"" + value + "\": expected rsa, ecdsa or both");
            }
            return k;
        }
    }

    @Option(names = "--repeat", defaultValue = "1",
            description = "whole runs, each with fresh processes and its own warm-up; the report gives every run and "
                    + "each ratio's median and range over them (default ${DEFAULT-VALUE})")
    int repeat;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1) {
            System.err.println("porter-bench: --repeat must be at least 1");
            return 2;
        }
        PorterCommand porter = servers.porter(common);
        if (porter == null) {
            return 2;
        }
        Launch launch = servers.launch();
        Optional<LoadDriver> driver = driver(launch);
        if (driver.isEmpty()) {
            return 2;
        }
        int workers = common.runOptions().workers();
        ThroughputPlan plan = new ThroughputPlan(common.concurrencies(), rounds, common.duration, warmup,
                porterWarmup != null ? porterWarmup : warmup, levelWarmup, workers, keepalive, origin, servers.peers(),
                servers.haproxyReuse, newConnectionPerRequest, tls, tlsKeys);
        launch.applyToThisJvm(System.out);
        List<BenchReport> runs = new ArrayList<>();
        for (int run = 1; run <= repeat; run++) {
            if (repeat > 1) {
                System.out.printf("%n== run %d of %d%n", run, repeat);
            }
            BenchReport report = runOnce(plan, porter, launch, driver.get(), workers);
            runs.add(report);
            if (repeat > 1) {
                ConsoleTable.print(report, System.out);
            }
        }
        BenchReport last = runs.get(runs.size() - 1);
        if (repeat == 1) {
            common.output(last);
            return 0;
        }
        Map<String, String> setup = new LinkedHashMap<>(last.setup());
        setup.put("repeat", repeat + " whole runs; the targets and ratios above are the last run's, every run's is"
                + " under \"repeat\" in the JSON");
        common.output(last.withSetup(setup).withRepeat(new BenchReport.Repeat(runs,
                RatioSpread.of(runs.stream().map(BenchReport::ratios).toList()))));
        return 0;
    }

    /** One whole run: fresh processes for every target, its warm-up, its rounds. */
    private BenchReport runOnce(ThroughputPlan plan, PorterCommand porter, Launch launch, LoadDriver driver, int workers)
            throws Exception {
        double loadAverageStart = Machine.loadAverage();
        List<TargetResult> targets;
        Map<String, String> setup;
        try (Cleanup cleanup = new Cleanup()) {
            Throughput t = new Throughput(plan, Launchers.process(porter, cleanup, 0, 0, launch),
                    driver, launch, cleanup, System.out);
            targets = t.run();
            setup = new LinkedHashMap<>(t.setup());
        }
        setup.put("porter_jvm", porter.describe());
        return new BenchReport(tls ? Throughput.NAME_TLS : Throughput.NAME, common.duration.toMillis() / 1000.0,
                plan.concurrencies().get(0), workers, null, targets, Throughput.ratios(targets)).withSetup(setup)
                .withMachine(Machine.since(loadAverageStart));
    }

    private Optional<LoadDriver> driver(Launch launch) {
        ClientConnection mode = newConnectionPerRequest ? ClientConnection.CLOSE_HEADER : ClientConnection.KEEPALIVE;
        String want = wrk ? "wrk" : load.equals("auto") ? (newConnectionPerRequest ? "ab" : "wrk") : load;
        switch (want) {
            case "wrk" -> {
                if (newConnectionPerRequest) {
                    System.err.println("porter-bench: wrk cannot open a connection per request; use --load ab or bench");
                    return Optional.empty();
                }
                Optional<Path> w = Wrk.locate();
                if (w.isPresent()) {
                    int loadCpus = launch.pinned() ? Machine.cpuCount(launch.loadCpus()) : 1;
                    return Optional.of(LoadDriver.wrk(w.get(), launch, wrkThreads > 0 ? wrkThreads : loadCpus, tls));
                }
                System.out.println("wrk: not installed; using the bench's own load generator");
            }
            case "ab" -> {
                if (!newConnectionPerRequest) {
                    System.err.println("porter-bench: --load ab is for --new-connection-per-request");
                    return Optional.empty();
                }
                Optional<Path> a = Ab.locate();
                if (a.isPresent()) {
                    return Optional.of(LoadDriver.ab(a.get(), launch, tls));
                }
                System.out.println("ab: not installed; using the bench's own load generator");
            }
            case "bench" -> {
            }
            default -> {
                System.err.println("porter-bench: --load is auto, wrk, ab or bench, was " + load);
                return Optional.empty();
            }
        }
        if (tls) {
            System.err.println("porter-bench: --tls needs wrk (keep-alive) or ab (--new-connection-per-request); "
                    + "the bench's own generator speaks plain HTTP (apt-get install wrk apache2-utils)");
            return Optional.empty();
        }
        return Optional.of(LoadDriver.bench(mode));
    }
}

package dev.porter.bench;

import dev.porter.bench.proxy.NginxProcess;
import dev.porter.bench.report.BenchReport;
import dev.porter.bench.report.TargetResult;
import dev.porter.bench.scenario.Cleanup;
import dev.porter.bench.scenario.RunOptions;
import dev.porter.bench.scenario.Throughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code porter-bench throughput}: direct vs Porter vs nginx, interleaved rounds. */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = "Requests/s, latency and CPU per request: the backend directly, through Porter, through nginx.")
final class ThroughputCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds per target (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "15s", converter = DurationConverter.class,
            description = "unrecorded load per target before the rounds (default ${DEFAULT-VALUE})")
    java.time.Duration warmup;

    @Option(names = "--keepalive", defaultValue = "0",
            description = "both proxies' idle upstream connections per worker (default: the concurrency)")
    int keepalive;

    @Option(names = "--wrk", description = "after the rounds, load every target once more with wrk (when installed) "
            + "for --duration, as a cross-check of the bench's own load generator")
    boolean wrk;

    private java.util.Optional<java.nio.file.Path> wrkBinary() {
        if (!wrk) {
            return java.util.Optional.empty();
        }
        java.util.Optional<java.nio.file.Path> w = dev.porter.bench.load.Wrk.locate();
        if (w.isEmpty()) {
            System.out.println("wrk: skipped: not found on PATH or at /usr/bin/wrk");
        }
        return w;
    }

    @Override
    public Integer call() throws Exception {
        java.nio.file.Path jar = common.requirePorterJar();
        if (jar == null) {
            return 2;
        }
        RunOptions o = common.runOptions();
        List<TargetResult> targets;
        try (Cleanup cleanup = new Cleanup()) {
            targets = new Throughput(o, rounds, common.launcher(jar, cleanup, 0, 0),
                    NginxProcess.locate(), cleanup, System.out).withWrk(wrkBinary()).withWarmup(warmup).withKeepalive(keepalive).run();
        }
        common.output(new BenchReport(Throughput.NAME, o.duration().toMillis() / 1000.0, o.concurrency(), o.workers(),
                null, targets, Throughput.ratios(targets)));
        return 0;
    }
}

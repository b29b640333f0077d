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
                    NginxProcess.locate(), cleanup, System.out).run();
        }
        common.output(new BenchReport(Throughput.NAME, o.duration().toMillis() / 1000.0, o.concurrency(), o.workers(),
                null, targets, Throughput.ratios(targets)));
        return 0;
    }
}

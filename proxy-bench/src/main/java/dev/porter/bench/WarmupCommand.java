package dev.porter.bench;

import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.PorterCommand;
import dev.porter.bench.report.BenchReport;
import dev.porter.bench.report.WarmupResult;
import dev.porter.bench.scenario.Cleanup;
import dev.porter.bench.scenario.Launchers;
import dev.porter.bench.scenario.Warmup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code porter-bench warmup}: Porter's requests/s second by second from a cold start. */
@Command(name = "warmup", mixinStandardHelpOptions = true,
        description = "Porter's requests/s second by second from its start (cold JVM): is it at 80%% of steady state "
                + "within 10 s?")
final class WarmupCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    ServerOptions servers;

    @Option(names = "--steady-window", defaultValue = "20",
            description = "steady state = mean of the last N seconds (default ${DEFAULT-VALUE})")
    int steadyWindow;

    @Option(names = "--client-warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "load the origin directly first, so that the generator's own JIT is warm (default ${DEFAULT-VALUE})")
    Duration clientWarmup;

    @Override
    public Integer call() throws Exception {
        PorterCommand porter = servers.porter(common);
        if (porter == null) {
            return 2;
        }
        if (common.singleConcurrency() != null) {
            System.err.println(common.singleConcurrency());
            return 2;
        }
        Launch launch = servers.launch();
        int workers = common.runOptions().workers();
        int concurrency = common.runOptions().concurrency();
        WarmupResult result;
        Map<String, String> setup;
        try (Cleanup cleanup = new Cleanup()) {
            launch.applyToThisJvm(System.out);
            Warmup w = new Warmup(common.duration, concurrency, workers, steadyWindow, clientWarmup,
                    Launchers.process(porter, cleanup, 0, 0, launch), launch, cleanup, System.out);
            result = w.run();
            setup = new LinkedHashMap<>(w.setup());
        }
        setup.put("porter_jvm", porter.describe());
        common.output(new BenchReport(Warmup.NAME, common.duration.toMillis() / 1000.0, concurrency, workers, null, null,
                null).withSetup(setup).withWarmup(result));
        return 0;
    }
}

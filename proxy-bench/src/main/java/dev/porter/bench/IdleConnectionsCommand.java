package dev.porter.bench;

import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.PorterCommand;
import dev.porter.bench.report.BenchReport;
import dev.porter.bench.report.IdleResult;
import dev.porter.bench.scenario.Cleanup;
import dev.porter.bench.scenario.IdleConnections;
import dev.porter.bench.scenario.Launchers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code porter-bench idle-connections}: RSS and PSS per idle keep-alive client connection, Porter and peers. */
@Command(name = "idle-connections", mixinStandardHelpOptions = true,
        description = "Memory per idle keep-alive client connection (RSS and PSS growth from smaps_rollup) of Porter "
                + "and each peer, with --count clients that each send one request and stay connected.")
final class IdleConnectionsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    ServerOptions servers;

    @Option(names = "--count", defaultValue = "10000", description = "idle client connections (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--settle", defaultValue = "3s", converter = DurationConverter.class,
            description = "pause before each memory reading (default ${DEFAULT-VALUE})")
    Duration settle;

    @Override
    public Integer call() throws Exception {
        PorterCommand porter = servers.porter(common);
        if (porter == null) {
            return 2;
        }
        Launch launch = servers.launch();
        int workers = common.runOptions().workers();
        List<IdleResult> results;
        Map<String, String> setup;
        try (Cleanup cleanup = new Cleanup()) {
            launch.applyToThisJvm(System.out);
            IdleConnections s = new IdleConnections(count, workers, servers.peers(), servers.haproxyReuse,
                    Launchers.process(porter, cleanup, 0, 0, launch), launch, cleanup, System.out,
                    settle);
            results = s.run();
            setup = new LinkedHashMap<>(s.setup());
        }
        setup.put("porter_jvm", porter.describe());
        common.output(new BenchReport(IdleConnections.NAME, 0, count, workers, null, null, null)
                .withSetup(setup).withIdle(results));
        return 0;
    }
}

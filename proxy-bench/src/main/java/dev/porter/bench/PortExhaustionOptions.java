package dev.porter.bench;

import dev.porter.bench.scenario.PortExhaustion;
import dev.porter.bench.scenario.RunOptions;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/**
 * The port-exhaustion scenario's own options, shared by the command and by the namespaced child
 * that runs one of its modes (which must build the same {@link PortExhaustion.Plan}).
 */
final class PortExhaustionOptions {
    @Option(names = "--port-range", defaultValue = "40000 40999",
            description = "ip_local_port_range inside the namespace (default \"${DEFAULT-VALUE}\")")
    String portRange;

    @Option(names = "--defaults-concurrency", split = ",", defaultValue = "200,600,2000",
            description = "client connections of each old-default-c<N> and defaults-c<N> mode (default ${DEFAULT-VALUE}); "
                    + "past the port range Porter gets source addresses 127.0.0.2, 127.0.0.3, ...")
    List<Integer> defaultsConcurrency;

    @Option(names = "--defaults-duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "how long old-default-c<N>, defaults-c<N> and pool-too-small-guarded run (default ${DEFAULT-VALUE}: as long as "
                    + "TIME_WAIT lasts, so that every port pinned during the run still counts at its end)")
    Duration defaultsDuration;

    PortExhaustion.Plan plan(RunOptions run) {
        return new PortExhaustion.Plan(run, defaultsConcurrency, defaultsDuration, portRange);
    }

    /** Arguments that recreate these options in a child process. */
    List<String> asArgs() {
        return List.of("--port-range", portRange,
                "--defaults-concurrency", String.join(",", defaultsConcurrency.stream().map(String::valueOf).toList()),
                "--defaults-duration", defaultsDuration.toMillis() + "ms");
    }
}

package dev.porter.bench;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code porter-bench micro}: the JMH microbenchmarks of the request path's hot pieces
 * ({@code dev.porter.bench.micro}), each in a forked JVM, with JMH's allocation profiler so
 * that bytes per operation are reported next to the time.
 */
@Command(name = "micro", mixinStandardHelpOptions = true,
        description = "JMH microbenchmarks of the request path's hot pieces (head parsing, the upstream head, the client's response head), "
                + "time and bytes allocated per operation.")
final class MicroCommand implements Callable<Integer> {
    @Option(names = "--include", defaultValue = "dev.porter.bench.micro.",
            description = "regular expression of the benchmarks to run (default ${DEFAULT-VALUE})")
    String include;

    @Option(names = "--forks", defaultValue = "2", description = "forked JVMs per benchmark (default ${DEFAULT-VALUE})")
    int forks;

    @Option(names = "--iterations", defaultValue = "5",
            description = "measured iterations of 1 s per fork, after as many warm-up ones (default ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--json", description = "also write JMH's results as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .forks(forks)
                .warmupIterations(iterations)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .addProfiler("gc")
                // The production level (bin/porter) rather than the tests' PARANOID.
                .jvmArgsAppend("-Dio.netty.leakDetection.level=simple");
        if (json != null) {
            options.resultFormat(ResultFormatType.JSON).result(json.toString());
        }
        new Runner(options.build()).run();
        return 0;
    }
}

package dev.porter.bench;

import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.PorterCommand;
import dev.porter.bench.report.BenchReport;
import dev.porter.bench.report.Charts;
import dev.porter.bench.report.ConsoleTable;
import dev.porter.bench.report.JsonReport;
import dev.porter.bench.scenario.Cleanup;
import dev.porter.bench.scenario.Launchers;
import dev.porter.bench.scenario.ProxyLauncher;
import dev.porter.bench.scenario.RunOptions;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Options every scenario takes, and the common output step (table, JSON, charts). */
final class CommonOptions {
    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "load per mode (throughput: per target and round), e.g. 10s, 500ms (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--concurrency", defaultValue = "64", split = ",",
            description = "client connections (default ${DEFAULT-VALUE}); throughput takes a list, e.g. 50,200,1000")
    List<Integer> concurrency;

    @Option(names = "--workers", description = "Porter's and nginx's workers (default: cores)")
    Integer workers;

    @Option(names = "--rate", defaultValue = "0",
            description = "requests/s for an open loop (latency from the intended send time); 0 = closed loop")
    long rate;

    @Option(names = "--json", description = "write the results as JSON to FILE")
    Path json;

    @Option(names = "--report", description = "write PNG charts into DIR")
    Path report;

    @Option(names = "--porter-jar", description = "Porter's executable jar (default proxy-server/target/porter.jar)")
    Path porterJar;

    @Option(names = "--porter-launcher", description = "the launcher that starts Porter (default bin/porter of the "
            + "repository porter-bench.jar was built in)")
    Path porterLauncher;

    RunOptions runOptions() {
        int w = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        return new RunOptions(duration, concurrency.get(0), w, rate);
    }

    /** Every --concurrency value, in the order given. */
    List<Integer> concurrencies() {
        return List.copyOf(concurrency);
    }

    /**
     * For scenarios that take one concurrency: null when one was given, else the complaint (the
     * caller prints it and exits 2).
     */
    String singleConcurrency() {
        return concurrency.size() == 1 ? null : "porter-bench: this scenario takes one --concurrency value, got "
                + concurrency;
    }

    /**
     * The porter.jar to run: {@code --porter-jar} as given; else next to this jar's module
     * ({@code ../../proxy-server/target/porter.jar} relative to {@code proxy-bench/target/porter-bench.jar});
     * else {@code proxy-server/target/porter.jar} under the working directory.
     */
    Path porterJar() {
        if (porterJar != null) {
            return porterJar.toAbsolutePath();
        }
        try {
            Path self = Path.of(CommonOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // proxy-bench/target/porter-bench.jar (or proxy-bench/target/classes) -> proxy-server/target/porter.jar
            Path sibling = self.toAbsolutePath().getParent().resolve("../../proxy-server/target/porter.jar").normalize();
            if (Files.isRegularFile(sibling)) {
                return sibling;
            }
        } catch (Exception ignored) {
            // fall through to the working directory
        }
        return Path.of("proxy-server", "target", "porter.jar").toAbsolutePath();
    }

    /**
     * The launcher: {@code --porter-launcher} as given; else the repository's {@code bin/porter}
     * ({@code ../../bin/porter} relative to {@code proxy-bench/target/porter-bench.jar}); else
     * {@code bin/porter} under the working directory.
     */
    Path porterLauncher() {
        if (porterLauncher != null) {
            return porterLauncher.toAbsolutePath();
        }
        try {
            Path self = Path.of(CommonOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path sibling = self.toAbsolutePath().getParent().resolve("../../bin/porter").normalize();
            if (Files.isExecutable(sibling)) {
                return sibling;
            }
        } catch (Exception ignored) {
            // fall through to the working directory
        }
        return Path.of("bin", "porter").toAbsolutePath();
    }

    /**
     * How to start Porter: the launcher with porter.jar, {@code jvmOptions} (null: the launcher's
     * conf/jvm.options) and {@code extraFlags}; or null after saying on stderr what is missing
     * (the caller exits 2). Porter always runs as its own process, started as operators start it,
     * so that its CPU time and memory are its own.
     */
    PorterCommand requirePorter(Path jvmOptions, List<String> extraFlags) {
        Path jar = porterJar();
        if (!Files.isRegularFile(jar)) {
            System.err.println("porter-bench: no porter.jar at " + jar + ". Build it in the repository root with\n"
                    + "  mvn -B -DskipTests package\n"
                    + "(writes proxy-server/target/porter.jar next to proxy-bench/target/porter-bench.jar), or pass "
                    + "--porter-jar FILE. Nothing was run.");
            return null;
        }
        Path launcher = porterLauncher();
        if (!Files.isExecutable(launcher)) {
            System.err.println("porter-bench: no launcher at " + launcher + " (bin/porter of the repository); pass "
                    + "--porter-launcher FILE. Nothing was run.");
            return null;
        }
        if (jvmOptions != null && !Files.isRegularFile(jvmOptions)) {
            System.err.println("porter-bench: no JVM options file " + jvmOptions + ". Nothing was run.");
            return null;
        }
        return new PorterCommand(launcher, jar, jvmOptions == null ? null : jvmOptions.toAbsolutePath(), extraFlags);
    }

    /** Porter as a child process, stopped through {@code cleanup}. */
    ProxyLauncher launcher(PorterCommand command, Cleanup cleanup, int listenPort, int adminPort) {
        return Launchers.process(command, cleanup, listenPort, adminPort, Launch.unpinned());
    }

    /** The load average when these options were parsed, i.e. when the run started. */
    private final double loadAverageStart = dev.porter.bench.report.Machine.loadAverage();

    void output(BenchReport report) throws IOException {
        report = report.withMachine(dev.porter.bench.report.Machine.since(loadAverageStart));
        ConsoleTable.print(report, System.out);
        if (json != null) {
            JsonReport.write(report, json);
            System.out.println("JSON: " + json.toAbsolutePath());
        }
        if (this.report != null) {
            List<Path> charts = Charts.write(report, this.report);
            charts.forEach(p -> System.out.println("chart: " + p.toAbsolutePath()));
        }
    }

    /** Arguments that recreate these options in a child process. */
    List<String> asArgs() {
        List<String> a = new java.util.ArrayList<>(List.of("--duration", duration.toMillis() + "ms",
                "--concurrency", Integer.toString(concurrency.get(0)), "--workers", Integer.toString(runOptions().workers()),
                "--rate", Long.toString(rate), "--porter-jar", porterJar().toString(),
                "--porter-launcher", porterLauncher().toString()));
        return a;
    }
}

package dev.porter.bench;

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

    @Option(names = "--concurrency", defaultValue = "64", description = "client connections (default ${DEFAULT-VALUE})")
    int concurrency;

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

    RunOptions runOptions() {
        int w = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        return new RunOptions(duration, concurrency, w, rate);
    }

    /** The porter.jar to run: as given, else proxy-server/target/porter.jar under the working dir or next to this jar's module. */
    Path porterJar() {
        if (porterJar != null) {
            return porterJar.toAbsolutePath();
        }
        Path cwd = Path.of("proxy-server", "target", "porter.jar").toAbsolutePath();
        if (Files.isRegularFile(cwd)) {
            return cwd;
        }
        try {
            Path self = Path.of(CommonOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // proxy-bench/target/porter-bench.jar -> proxy-server/target/porter.jar
            Path sibling = self.getParent().getParent().getParent().resolve("proxy-server/target/porter.jar");
            if (Files.isRegularFile(sibling)) {
                return sibling;
            }
        } catch (Exception ignored) {
            // fall through to the default path, reported as missing when used
        }
        return cwd;
    }

    /**
     * porter.jar in a child JVM when it exists; otherwise Porter in this JVM (said on stderr:
     * then Porter shares the CPU with the load generator and has no admin listener).
     */
    ProxyLauncher launcher(Cleanup cleanup, int listenPort, int adminPort) {
        Path jar = porterJar();
        if (Files.isRegularFile(jar)) {
            return Launchers.process(jar, cleanup, listenPort, adminPort);
        }
        System.err.println("porter-bench: no " + jar + "; running Porter in-process (no admin /status, no separate CPU time)");
        return Launchers.inProcess(cleanup);
    }

    void output(BenchReport report) throws IOException {
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
                "--concurrency", Integer.toString(concurrency), "--workers", Integer.toString(runOptions().workers()),
                "--rate", Long.toString(rate), "--porter-jar", porterJar().toString()));
        return a;
    }
}

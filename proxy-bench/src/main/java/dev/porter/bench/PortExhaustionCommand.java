package dev.porter.bench;

import dev.porter.bench.proxy.ChildProcess;
import dev.porter.bench.proxy.TempDirs;
import dev.porter.bench.report.BenchReport;
import dev.porter.bench.report.JsonReport;
import dev.porter.bench.report.ModeResult;
import dev.porter.bench.scenario.Cleanup;
import dev.porter.bench.scenario.ModeSpec;
import dev.porter.bench.scenario.NetNamespace;
import dev.porter.bench.scenario.PortExhaustion;
import dev.porter.bench.scenario.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code porter-bench port-exhaustion}: each mode runs in a fresh network namespace (so that
 * one mode's TIME_WAIT cannot starve the next), by re-executing this jar there as the hidden
 * {@code ns-mode} command under {@code unshare --net}. The child writes its result as JSON;
 * this process collects and reports.
 */
@Command(name = "port-exhaustion", mixinStandardHelpOptions = true,
        description = "EADDRNOTAVAIL in a private network namespace with a narrowed ip_local_port_range: "
                + "pool-off, pool-too-small, pool-sized. Needs root or unprivileged user namespaces.")
final class PortExhaustionCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--modes", split = ",", defaultValue = "pool-off,pool-too-small,pool-sized",
            description = "modes to run (default: ${DEFAULT-VALUE}; also direct-client-closes)")
    List<String> modes;

    @Option(names = "--port-range", defaultValue = "40000 40999",
            description = "ip_local_port_range inside the namespace (default \"${DEFAULT-VALUE}\")")
    String portRange;

    @Override
    public Integer call() throws Exception {
        if (common.requirePorter(null, List.of()) == null) {
            return 2;
        }
        Optional<List<String>> unshare = NetNamespace.unsharePrefix();
        if (unshare.isEmpty()) {
            System.err.println("port-exhaustion needs its own network namespace: run as root, or enable unprivileged "
                    + "user namespaces (`unshare --net --map-root-user true` must work). Nothing was run.");
            return 2;
        }
        if (common.singleConcurrency() != null) {
            System.err.println(common.singleConcurrency());
            return 2;
        }
        RunOptions o = common.runOptions();
        List<ModeSpec> chosen = Modes.select(PortExhaustion.modes(o), modes);
        List<ModeResult> results = new ArrayList<>();
        String parentNs = NetNamespace.current();
        Path tmp = Files.createTempDirectory("porter-bench-ns");
        try (Cleanup cleanup = new Cleanup()) {
            // first in, last out: after the namespaced children are stopped (Ctrl-C included)
            cleanup.register(() -> TempDirs.deleteQuietly(tmp));
            for (ModeSpec m : chosen) {
                System.out.printf("%s: %s for %s in a new network namespace (ports %s)%n", PortExhaustion.NAME,
                        m.name(), o.duration(), portRange);
                Path out = tmp.resolve(m.name() + ".json");
                List<String> cmd = new ArrayList<>(unshare.get());
                cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), BenchMain.class.getName(), "ns-mode",
                        "--mode", m.name(), "--parent-netns", parentNs, "--port-range", portRange,
                        "--out", out.toString()));
                cmd.addAll(common.asArgs());
                ChildProcess child = cleanup.register(ChildProcess.start("ns-mode " + m.name(), cmd, null));
                long limit = o.duration().toSeconds() + 120;
                if (!child.process().waitFor(limit, TimeUnit.SECONDS)) {
                    System.err.println(child + " still running after " + limit + " s; stopping it");
                }
                cleanup.closeNow(child);
                results.add(Files.isRegularFile(out) ? JsonReport.readMode(out)
                        : ModeResult.skipped(m.name(), "namespaced run failed (exit " + exit(child) + ")"));
                Files.deleteIfExists(out);
            }
        }
        common.output(new BenchReport(PortExhaustion.NAME, o.duration().toMillis() / 1000.0, o.concurrency(),
                o.workers(), results, null, null));
        return 0;
    }

    private static String exit(ChildProcess child) {
        return child.process().isAlive() ? "none" : Integer.toString(child.process().exitValue());
    }
}

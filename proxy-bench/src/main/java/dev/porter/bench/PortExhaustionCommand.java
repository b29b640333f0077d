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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                + "pool-off, pool-too-small, pool-sized (the incident, guard off), pool-too-small-guarded, and "
                + "old-default vs defaults (no pool keys) at --defaults-concurrency. Needs root or unprivileged user "
                + "namespaces.")
final class PortExhaustionCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    PortExhaustionOptions exhaustion;

    @Option(names = "--modes", split = ",",
            defaultValue = "pool-off,pool-too-small,pool-sized,pool-too-small-guarded,old-default,defaults",
            description = "modes to run (default: ${DEFAULT-VALUE}; old-default and defaults run at each "
                    + "--defaults-concurrency, also one by one as defaults-c600; also direct-client-closes)")
    List<String> modes;

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
        List<ModeSpec> chosen = Modes.select(PortExhaustion.modes(exhaustion.plan(o)), modes);
        List<ModeResult> results = new ArrayList<>();
        String parentNs = NetNamespace.current();
        Path tmp = Files.createTempDirectory("porter-bench-ns");
        try (Cleanup cleanup = new Cleanup()) {
            // first in, last out: after the namespaced children are stopped (Ctrl-C included)
            cleanup.register(() -> TempDirs.deleteQuietly(tmp));
            for (ModeSpec m : chosen) {
                System.out.printf("%s: %s, %d clients for %s in a new network namespace (ports %s)%n",
                        PortExhaustion.NAME, m.name(), m.concurrency(o), m.duration(o), exhaustion.portRange);
                Path out = tmp.resolve(m.name() + ".json");
                List<String> cmd = new ArrayList<>(unshare.get());
                cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        // the namespace has only lo: without a machine id Netty warns that it found no MAC address
                        "-Dio.netty.machineId=02:00:00:00:00:01",
                        "-cp", System.getProperty("java.class.path"), BenchMain.class.getName(), "ns-mode",
                        "--mode", m.name(), "--parent-netns", parentNs, "--out", out.toString()));
                cmd.addAll(exhaustion.asArgs());
                cmd.addAll(common.asArgs());
                ChildProcess child = cleanup.register(ChildProcess.start("ns-mode " + m.name(), cmd, null));
                long limit = m.duration(o).toSeconds() + 120;
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
                o.workers(), results, null, null).withSetup(setup()));
        return 0;
    }

    private Map<String, String> setup() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("namespace", "a fresh one per mode: ip_local_port_range " + exhaustion.portRange + " ("
                + PortExhaustion.rangeSize(exhaustion.portRange) + " ports), tcp_tw_reuse 0, lo up");
        s.put("backend", "embedded Tomcat, keepAliveTimeout 60s, no request limit (it never closes first)");
        s.put("clients", "the bench's Netty generator, keep-alive, closed loop, spread over 127.0.0.1, .2, ... "
                + "when one address's port range would be half full");
        return s;
    }

    private static String exit(ChildProcess child) {
        return child.process().isAlive() ? "none" : Integer.toString(child.process().exitValue());
    }
}

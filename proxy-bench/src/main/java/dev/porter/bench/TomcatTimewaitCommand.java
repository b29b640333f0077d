package dev.porter.bench;

import dev.porter.bench.proxy.PorterCommand;
import dev.porter.bench.report.BenchReport;
import dev.porter.bench.report.ModeResult;
import dev.porter.bench.scenario.Cleanup;
import dev.porter.bench.scenario.ModeRunner;
import dev.porter.bench.scenario.ModeSpec;
import dev.porter.bench.scenario.RunOptions;
import dev.porter.bench.scenario.TomcatTimewait;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code porter-bench tomcat-timewait}: where TIME_WAIT lands with HTTP/1.0 upstream vs pooling. */
@Command(name = "tomcat-timewait", mixinStandardHelpOptions = true,
        description = "Porter in front of Tomcat (keepAliveTimeout 20s, maxKeepAliveRequests 100): TIME_WAIT by side "
                + "for http10-upstream, pooled-proxy-closes, pooled-upstream-closes.")
final class TomcatTimewaitCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--modes", split = ",", description = "modes to run (default: ${DEFAULT-VALUE}; also direct-close-header)",
            defaultValue = "http10-upstream,pooled-proxy-closes,pooled-upstream-closes")
    List<String> modes;

    @Override
    public Integer call() throws Exception {
        PorterCommand porter = common.requirePorter(null, List.of());
        if (porter == null) {
            return 2;
        }
        if (common.singleConcurrency() != null) {
            System.err.println(common.singleConcurrency());
            return 2;
        }
        RunOptions o = common.runOptions();
        List<ModeResult> results = new ArrayList<>();
        try (Cleanup cleanup = new Cleanup()) {
            ModeRunner runner = new ModeRunner(o, common.launcher(porter, cleanup, 0, 0), cleanup,
                    "127.0.0.1", 0);
            for (ModeSpec m : Modes.select(TomcatTimewait.modes(o), modes)) {
                System.out.printf("%s: %s for %s%n", TomcatTimewait.NAME, m.name(), o.duration());
                results.add(runner.run(m));
            }
        }
        common.output(new BenchReport(TomcatTimewait.NAME, o.duration().toMillis() / 1000.0, o.concurrency(),
                o.workers(), results, null, null));
        return 0;
    }
}

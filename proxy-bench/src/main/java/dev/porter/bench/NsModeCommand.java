package dev.porter.bench;

import dev.porter.bench.proxy.PorterCommand;
import dev.porter.bench.report.JsonReport;
import dev.porter.bench.report.ModeResult;
import dev.porter.bench.scenario.Cleanup;
import dev.porter.bench.scenario.ModeRunner;
import dev.porter.bench.scenario.ModeSpec;
import dev.porter.bench.scenario.NetNamespace;
import dev.porter.bench.scenario.PortExhaustion;
import dev.porter.bench.scenario.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Internal: one port-exhaustion mode inside the namespace {@link PortExhaustionCommand}
 * created. Sets the namespace's sysctls, runs Tomcat, Porter and the load there on fixed
 * ports below the narrowed range, and writes the {@link ModeResult} to {@code --out}.
 */
@Command(name = "ns-mode", hidden = true)
final class NsModeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--mode", required = true)
    String mode;

    @Mixin
    PortExhaustionOptions exhaustion;

    @Option(names = "--parent-netns", required = true)
    String parentNamespace;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws Exception {
        PorterCommand porter = common.requirePorter(null, List.of());
        if (porter == null) {
            return 2;
        }
        NetNamespace.prepareInside(parentNamespace, exhaustion.portRange);
        if (common.singleConcurrency() != null) {
            System.err.println(common.singleConcurrency());
            return 2;
        }
        RunOptions o = common.runOptions();
        ModeSpec spec = Modes.select(PortExhaustion.modes(exhaustion.plan(o)), List.of(mode)).get(0);
        ModeResult result;
        try (Cleanup cleanup = new Cleanup()) {
            ModeRunner runner = new ModeRunner(o, common.launcher(porter, cleanup,
                    PortExhaustion.LISTEN_PORT, PortExhaustion.ADMIN_PORT), cleanup, "127.0.0.1", PortExhaustion.BACKEND_PORT);
            result = runner.run(spec);
        }
        JsonReport.write(result, out);
        return 0;
    }
}

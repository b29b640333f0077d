package dev.porter.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code porter check --config FILE}, like {@code nginx -t}: loads the configuration exactly
 * as {@code run} would (including resolving upstream names) and starts nothing. Prints
 * {@code ok}, or every problem, one per line, as {@code file: line: key: what is wrong}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a configuration file: print \"ok\" (exit 0) or every problem (exit 1).")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (options.loadOrReport(spec.commandLine().getErr()) == null) {
            return ExitCodes.INVALID_CONFIG;
        }
        spec.commandLine().getOut().println("ok");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}

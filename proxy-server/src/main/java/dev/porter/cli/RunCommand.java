package dev.porter.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.porter.config.ProxyConfig;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code porter run --config FILE}: starts the proxy and its admin listener, then waits
 * until SIGTERM or Ctrl-C, which drain in-flight requests for up to
 * {@code porter.shutdown-timeout} before the process exits.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run Porter until SIGTERM or Ctrl-C, then shut down gracefully.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        options.applyLogLevel();
        ProxyConfig config = options.loadOrReport(spec.commandLine().getErr());
        if (config == null) {
            return ExitCodes.INVALID_CONFIG;
        }
        return runUntilStopped(options, spec, config, List.of());
    }

    /** Starts the process with {@code extras} already running; shared with {@code demo}. */
    static int runUntilStopped(ConfigOptions options, CommandSpec spec, ProxyConfig config, List<AutoCloseable> extras)
            throws InterruptedException {
        AccessLogSetup accessLog = new AccessLogSetup((LoggerContext) LoggerFactory.getILoggerFactory());
        ProxyProcess process;
        try {
            process = ProxyProcess.start(options.config, config, accessLog, extras);
        } catch (StartupException e) {
            return options.reportStartupFailure(spec.commandLine().getErr(), e);
        }
        process.stopOnShutdownSignal(accessLog);
        process.reloadOnHangup();
        process.logStarted();
        process.awaitStopped();
        return ExitCodes.OK;
    }
}

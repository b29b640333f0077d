package dev.porter.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * Porter's command line: {@code porter run|check|demo --config FILE}, {@code --version},
 * {@code --help}.
 *
 * <p>Exit codes ({@link ExitCodes}): 0 ok, 1 invalid configuration, 2 usage, 3 cannot bind or
 * start. Configuration problems and startup failures are printed as one line each, never as
 * a stack trace ({@code --debug} adds it for startup failures).
 *
 * <p>{@code main} is the only place with process-wide effects ({@code System.exit}, the JUL
 * bridge); {@link #commandLine()} has none, so tests run commands in-process.
 */
@Command(name = "porter", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class,
        description = "HTTP/1.1 reverse proxy that keeps its upstream connections warm.",
        subcommands = {RunCommand.class, CheckCommand.class, DemoCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // Tomcat (demo) logs through java.util.logging; send it to logback like everything else.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(commandLine().execute(args));
    }

    /** A fresh command line; set its out/err writers to capture what commands print. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::unexpected);
        return cl;
    }

    /** {@code porter} alone: usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /**
     * A failure no command anticipated. One line, like every other failure; picocli's default
     * would print a stack trace.
     */
    private static int unexpected(Exception e, CommandLine cl, ParseResult parsed) {
        cl.getErr().println("porter: " + StartupException.describe(e));
        boolean debug = parsed.asCommandLineList().stream()
                .anyMatch(c -> c.getParseResult() != null && c.getParseResult().hasMatchedOption("--debug"));
        if (debug) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return ExitCodes.CANNOT_START;
    }
}

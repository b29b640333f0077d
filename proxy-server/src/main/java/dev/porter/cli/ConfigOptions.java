package dev.porter.cli;

import ch.qos.logback.classic.Level;
import dev.porter.config.ConfigLoader;
import dev.porter.config.InvalidConfigException;
import dev.porter.config.ProxyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The options every subcommand shares ({@code --config}, {@code --debug}), mixed into each,
 * and the one way they load a configuration: a bad file prints its problems, one per line,
 * and never a stack trace.
 */
final class ConfigOptions {
    private static final Logger logger = LoggerFactory.getLogger(ConfigOptions.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
            description = "Porter configuration (HOCON), e.g. conf/porter.conf")
    Path config;

    @Option(names = "--debug", description = "DEBUG logging for dev.porter, and stack traces on failure")
    boolean debug;

    /** Loads {@link #config}; on problems prints them to {@code err} and returns null. */
    ProxyConfig loadOrReport(PrintWriter err) {
        try {
            return ConfigLoader.load(config);
        } catch (InvalidConfigException e) {
            e.problems().forEach(err::println);
            err.flush();
            return null;
        }
    }

    /** Turns on DEBUG for Porter's own loggers when asked. */
    void applyLogLevel() {
        if (debug && LoggerFactory.getLogger("dev.porter") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(Level.DEBUG);
        }
    }

    /** Prints a startup failure: its message, and the stack trace only with {@code --debug}. */
    int reportStartupFailure(PrintWriter err, StartupException e) {
        err.println("porter: " + e.getMessage());
        err.flush();
        // With --debug, dev.porter logs at DEBUG, so this is where the stack trace shows.
        logger.debug("startup failed", e);
        return ExitCodes.CANNOT_START;
    }
}

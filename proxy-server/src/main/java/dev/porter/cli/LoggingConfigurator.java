package dev.porter.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Porter's logging, set up through the logback API instead of a packaged {@code logback.xml}:
 * operational messages to the console; the access log ({@value AccessLogSetup#LOGGER}, one line per
 * request, written by proxy-core) to the console behind an asynchronous appender, until
 * {@link AccessLogSetup} points it where {@code porter.access-log.path} says. The same
 * configuration as an XML file is {@code conf/logback.xml}, a starting point for operators.
 *
 * <p>Why not XML: reading a {@code logback.xml} at start loads logback's Joran configurator and the
 * JDK's SAX parser (~450 classes), resident for the life of the process, to read 20 lines
 * (docs/bench/2026-12-02-startup-rss).
 *
 * <p>logback (1.5) finds this class through {@code META-INF/services} and runs it before its own
 * configurators. It stands aside (and logback then proceeds as usual) when the operator chose a
 * configuration: {@code -Dlogback.configurationFile=FILE}, or a {@code logback-test.xml} on the
 * class path, which both would have won over a packaged {@code logback.xml} too.
 *
 * <p>Runs once, on the thread that first asks slf4j for a logger ({@code main}).
 */
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {
    /** logback's own name for it (ClassicConstants.CONFIG_FILE_PROPERTY). */
    static final String CONFIG_FILE_PROPERTY = "logback.configurationFile";
    static final String TEST_CONFIG_FILE = "logback-test.xml";
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n";
    static final String ACCESS_PATTERN = "%msg%n";
    /** Lines buffered between the event loops and the console (AccessLogSetup's size, too). */
    static final int ACCESS_QUEUE_SIZE = 8192;

    /** For ServiceLoader. */
    public LoggingConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(CONFIG_FILE_PROPERTY) != null
                || LoggingConfigurator.class.getClassLoader().getResource(TEST_CONFIG_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Porter's configuration, on a context that has none yet. */
    static void apply(LoggerContext context) {
        // Tomcat (demo backend) logs through java.util.logging, bridged to slf4j by Main; this
        // keeps JUL's levels in step with logback's, so that filtered-out records are dropped
        // before they are even built. First, so that it hears every level set below.
        LevelChangePropagator julLevels = new LevelChangePropagator();
        julLevels.setContext(context);
        julLevels.setResetJUL(true);
        julLevels.start();
        context.addListener(julLevels);

        ConsoleAppender<ILoggingEvent> console = console(context, "CONSOLE", PATTERN);

        // Event loops write access lines; they must never wait for the console or a disk.
        // neverBlock drops lines when the queue is full; discardingThreshold 0 keeps the
        // default from dropping INFO (every access line) once the queue is 80% full.
        AsyncAppender access = new AsyncAppender();
        access.setContext(context);
        access.setName("ACCESS_ASYNC");
        access.setQueueSize(ACCESS_QUEUE_SIZE);
        access.setDiscardingThreshold(0);
        access.setNeverBlock(true);
        access.addAppender(console(context, "ACCESS_STDOUT", ACCESS_PATTERN));
        access.start();

        Logger accessLogger = context.getLogger(AccessLogSetup.LOGGER);
        accessLogger.setLevel(Level.INFO);
        accessLogger.setAdditive(false);
        accessLogger.addAppender(access);

        context.getLogger("dev.porter").setLevel(Level.INFO);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("org.apache").setLevel(Level.WARN);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name, String pattern) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(name);
        console.setEncoder(encoder(context, pattern, console));
        console.start();
        return console;
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern, Appender<ILoggingEvent> parent) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setParent(parent);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}

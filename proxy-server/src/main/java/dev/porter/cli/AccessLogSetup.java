package dev.porter.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.porter.config.AccessLogConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Points the {@value #LOGGER} logger (written by proxy-core, one line per request) where
 * {@code porter.access-log.path} says: {@code "off"}, {@code "stdout"} or a file.
 *
 * <p>{@link LoggingConfigurator} gives the logger a console target by default; this replaces it
 * at startup through the logback API, because the target comes from Porter's config, not logback's.
 * Whatever the target, it sits behind an {@link AsyncAppender} with {@code neverBlock}:
 * an event loop must never wait on a disk, and losing access-log lines under overload is
 * the lesser harm (STYLE §9.2).
 *
 * <p>Called from {@code main} before Porter starts, and from the shutdown hook.
 */
final class AccessLogSetup {
    static final String LOGGER = "porter.access";
    private static final String PATTERN = "%msg%n";
    /** Lines buffered between the event loops and the writer thread. */
    private static final int QUEUE_SIZE = 8192;

    private final LoggerContext context;

    AccessLogSetup(LoggerContext context) {
        this.context = context;
    }

    /**
     * Applies {@code config}, replacing the access logger's previous target.
     *
     * @throws UncheckedIOException when the file cannot be opened for appending (names the path)
     */
    void apply(AccessLogConfig config) {
        Logger logger = context.getLogger(LOGGER);
        logger.setAdditive(false);
        switch (config.path()) {
            case "off" -> {
                logger.detachAndStopAllAppenders();
                logger.setLevel(Level.OFF);
            }
            case "stdout" -> attach(logger, console());
            default -> attach(logger, file(Path.of(config.path())));
        }
    }

    /** Stops logging, which drains the async queues so the last access-log lines are written. */
    void flushAndStop() {
        context.stop();
    }

    private void attach(Logger logger, OutputStreamAppender<ILoggingEvent> target) {
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ACCESS_ASYNC");
        async.setQueueSize(QUEUE_SIZE);
        async.setNeverBlock(true);
        // The default drops INFO events once the queue is 80% full; access lines are all INFO.
        async.setDiscardingThreshold(0);
        async.addAppender(target);
        async.start();
        // Stopping the old async appender flushes what it still queued.
        logger.detachAndStopAllAppenders();
        logger.addAppender(async);
        logger.setLevel(Level.INFO);
    }

    private ConsoleAppender<ILoggingEvent> console() {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("ACCESS_STDOUT");
        console.setEncoder(encoder());
        console.start();
        return console;
    }

    private FileAppender<ILoggingEvent> file(Path path) {
        // Open it once here: FileAppender only reports failure to logback's status list,
        // and the operator should hear "Permission denied" at startup, with the path.
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream probe = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                probe.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open access log " + path + ": " + e, e);
        }
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("ACCESS_FILE");
        file.setFile(path.toString());
        file.setAppend(true);
        file.setEncoder(encoder());
        file.start();
        if (!file.isStarted()) {
            throw new UncheckedIOException(new IOException("cannot open access log " + path));
        }
        return file;
    }

    private PatternLayoutEncoder encoder() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }
}

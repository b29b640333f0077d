package dev.porter.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Porter's logging set up in code ({@link LoggingConfigurator}) is the one {@code conf/logback.xml}
 * describes for operators to copy, and it stands aside for a file the operator names.
 */
class LoggingConfiguratorTest {
    /** Surefire runs in proxy-server/. */
    private static final Path SHIPPED_XML = Path.of("..", "conf", "logback.xml");

    /**
     * What a context was configured with, as text: every logger with a level, additivity or
     * appenders, every appender (class, started, target, pattern, async settings and what it
     * feeds), and the context's listeners.
     */
    private static Map<String, String> describe(LoggerContext context) {
        Map<String, String> out = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            List<String> appenders = new ArrayList<>();
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> a = it.next();
                appenders.add(a.getName());
                describe(a, out);
            }
            if (logger.getLevel() != null || !logger.isAdditive() || !appenders.isEmpty()) {
                out.put("logger " + logger.getName(),
                        logger.getLevel() + " additive=" + logger.isAdditive() + " appenders=" + appenders);
            }
        }
        out.put("listeners", context.getCopyOfListenerList().stream()
                .map(l -> l.getClass().getName() + (l instanceof LevelChangePropagator p ? " started=" + p.isStarted() : ""))
                .toList().toString());
        return out;
    }

    private static void describe(Appender<ILoggingEvent> a, Map<String, String> out) {
        StringBuilder s = new StringBuilder(a.getClass().getName()).append(" started=").append(a.isStarted());
        if (a instanceof ConsoleAppender<ILoggingEvent> c) {
            s.append(" target=").append(c.getTarget());
        }
        if (a instanceof OutputStreamAppender<ILoggingEvent> o && o.getEncoder() instanceof PatternLayoutEncoder e) {
            s.append(" pattern=").append(e.getPattern()).append(" charset=").append(e.getCharset())
                    .append(" immediateFlush=").append(o.isImmediateFlush());
        }
        if (a instanceof AsyncAppender async) {
            s.append(" queue=").append(async.getQueueSize()).append(" discardingThreshold=")
                    .append(async.getDiscardingThreshold()).append(" neverBlock=").append(async.isNeverBlock())
                    .append(" includeCallerData=").append(async.isIncludeCallerData());
            List<String> feeds = new ArrayList<>();
            for (Iterator<Appender<ILoggingEvent>> it = async.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> inner = it.next();
                feeds.add(inner.getName());
                describe(inner, out);
            }
            s.append(" feeds=").append(feeds);
        }
        out.put("appender " + a.getName(), s.toString());
    }

    @Test
    void theConfigurationInCodeIsTheOneOfTheShippedLogbackXml() throws Exception {
        LoggerContext fromCode = new LoggerContext();
        LoggerContext fromXml = new LoggerContext();
        try {
            LoggingConfigurator.apply(fromCode);
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(fromXml);
            joran.doConfigure(SHIPPED_XML.toFile());

            assertThat(fromXml.getStatusManager().getCopyOfStatusList()).as("logback's complaints about the XML")
                    .noneMatch(s -> s.getLevel() >= Status.WARN);
            assertThat(describe(fromCode)).isEqualTo(describe(fromXml))
                    .containsEntry("logger porter.access", "INFO additive=false appenders=[ACCESS_ASYNC]")
                    .containsEntry("logger ROOT", "WARN additive=true appenders=[CONSOLE]");
            assertThat(fromCode.getStatusManager().getCopyOfStatusList()).as("logback's complaints about the code")
                    .noneMatch(s -> s.getLevel() >= Status.WARN);
        } finally {
            fromCode.stop();
            fromXml.stop();
        }
    }

    @Test
    void aFileNamedByTheSystemPropertyIsLeftToLogback() {
        LoggerContext context = new LoggerContext();
        String before = System.getProperty(LoggingConfigurator.CONFIG_FILE_PROPERTY);
        System.setProperty(LoggingConfigurator.CONFIG_FILE_PROPERTY, SHIPPED_XML.toString());
        try {
            LoggingConfigurator configurator = new LoggingConfigurator();
            configurator.setContext(context);

            assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
            assertThat(context.getLogger("porter.access").getLevel()).isNull();
        } finally {
            if (before == null) {
                System.clearProperty(LoggingConfigurator.CONFIG_FILE_PROPERTY);
            } else {
                System.setProperty(LoggingConfigurator.CONFIG_FILE_PROPERTY, before);
            }
            context.stop();
        }
    }
}

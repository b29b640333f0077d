package dev.porter.exchange;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLogTest {
    @Test
    void atMostTenWarnLinesASecondAndTheRestAreCountedNotLost() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("failure-log-test");
        logger.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        FailureLog log = new FailureLog();
        for (int i = 0; i < 50; i++) {
            log.warn(logger, "GET / -> 502: {}", i);
        }
        assertThat(events.list.stream().filter(e -> e.getLevel() == Level.WARN)).hasSize(10);
        assertThat(events.list.stream().filter(e -> e.getLevel() == Level.DEBUG)).hasSize(40);
        Thread.sleep(1100);
        log.warn(logger, "GET / -> 502: {}", "later");
        assertThat(events.list.get(events.list.size() - 2).getFormattedMessage()).contains("40 similar failures");
        assertThat(events.list.get(events.list.size() - 1).getFormattedMessage()).endsWith("later");
    }
}

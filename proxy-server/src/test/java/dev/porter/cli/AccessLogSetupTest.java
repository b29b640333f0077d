package dev.porter.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.porter.config.AccessLogConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class AccessLogSetupTest {
    @TempDir
    Path dir;

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final AccessLogSetup setup = new AccessLogSetup(context);
    private final Logger access = LoggerFactory.getLogger(AccessLogSetup.LOGGER);

    @AfterEach
    void off() {
        // Back to silence so that other tests in this JVM are not logged to a deleted file.
        setup.apply(new AccessLogConfig("off"));
    }

    @Test
    void pathWritesLinesToThatFileThroughAnAsyncAppender() {
        Path file = dir.resolve("logs/access.log");
        setup.apply(new AccessLogConfig(file.toString()));

        access.info("GET /http/hello 200");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(file).exists().content().isEqualTo("GET /http/hello 200" + System.lineSeparator()));
        assertThat(context.getLogger(AccessLogSetup.LOGGER).getAppender("ACCESS_ASYNC")).isNotNull();
        assertThat(context.getLogger(AccessLogSetup.LOGGER).isAdditive()).isFalse();
    }

    @Test
    void offTurnsTheLoggerOff() {
        setup.apply(new AccessLogConfig("off"));
        assertThat(context.getLogger(AccessLogSetup.LOGGER).getLevel()).isEqualTo(Level.OFF);
        assertThat(access.isInfoEnabled()).isFalse();
    }

    @Test
    void stdoutLogsAtInfo() {
        setup.apply(new AccessLogConfig("stdout"));
        assertThat(access.isInfoEnabled()).isTrue();
        assertThat(context.getLogger(AccessLogSetup.LOGGER).getAppender("ACCESS_ASYNC")).isNotNull();
    }

    @Test
    void unwritablePathFailsWithThePath() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        Path file = notADir.resolve("access.log");
        assertThatThrownBy(() -> setup.apply(new AccessLogConfig(file.toString())))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString());
    }
}

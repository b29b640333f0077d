package dev.porter.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.porter.config.ProxyConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

class ReloadSignalTest {
    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final AtomicReference<ProxyConfig> applied = new AtomicReference<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger reloaderLogger = (Logger) LoggerFactory.getLogger(ConfigReloader.class);

    @BeforeEach
    void captureLog() {
        log.start();
        reloaderLogger.addAppender(log);
    }

    @AfterEach
    void stop() {
        reloaderLogger.detachAppender(log);
        executor.shutdownNow();
    }

    private ReloadSignal signal(Path file) {
        return new ReloadSignal(new ConfigReloader(file, executor, next -> {
            applied.set(next);
            return CompletableFuture.completedFuture("reloaded " + file);
        }));
    }

    private static String valid() {
        return """
                porter {
                  listeners = [ { address = "127.0.0.1:0" } ]
                  upstreams { app { servers = [ { address = "127.0.0.1:9" } ] } }
                  routes = [ { path-prefix = "/", upstream = app } ]
                }
                """;
    }

    @Test
    void hangupAppliesAValidFileAndLogsThatItDid() throws Exception {
        Path file = Files.writeString(dir.resolve("porter.conf"), valid());

        assertThat(signal(file).onSignal().toCompletableFuture().get(10, TimeUnit.SECONDS)).contains("reloaded");
        assertThat(applied.get()).isNotNull();
        assertThat(log.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).startsWith("SIGHUP: reloaded ").contains("porter.conf");
        });
    }

    @Test
    void hangupWithABrokenFileKeepsTheRunningConfigAndLogsFileAndLine() {
        Path file = dir.resolve("porter.conf");
        try {
            Files.writeString(file, "porter { workers = many }\n");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        Throwable refused = catchThrowable(() -> signal(file).onSignal().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertThat(refused).isInstanceOf(ExecutionException.class);
        assertThat(applied.get()).isNull();
        assertThat(log.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).startsWith("SIGHUP: reload of ").contains("refused")
                    .contains("porter.conf: 1").contains("workers");
        });
    }

    @Test
    void installingNeverThrowsWhetherOrNotTheJvmAllowsIt() {
        assertThatCode(() -> signal(dir.resolve("porter.conf")).install()).doesNotThrowAnyException();
    }
}

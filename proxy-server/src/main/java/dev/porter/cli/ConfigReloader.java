package dev.porter.cli;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * Reloads the configuration: for {@code POST /reload} and for SIGHUP ({@link ReloadSignal}).
 * Reads the file again and hands the new {@link ProxyConfig} to {@code apply}, then logs one
 * line saying that the reload applied, or why it was refused (every problem, "file: line: ...").
 *
 * <p>Loading parses a file and resolves upstream names, both blocking, so it runs on its own
 * single thread, never on the admin event loop; one thread also means two reloads never
 * overlap. A file with problems fails the stage with every problem, one per line, and the
 * running configuration stays in force.
 */
final class ConfigReloader {
    private static final Logger logger = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final ExecutorService executor;
    private final Function<ProxyConfig, CompletionStage<String>> apply;

    ConfigReloader(Path file, ExecutorService executor, Function<ProxyConfig, CompletionStage<String>> apply) {
        this.file = file;
        this.executor = executor;
        this.apply = apply;
    }

    /**
     * @param trigger what asked for the reload, for the log line ("POST /reload", "SIGHUP")
     * @return completes with a message for the operator, or exceptionally with what is wrong
     */
    CompletionStage<String> reload(String trigger) {
        CompletionStage<String> done;
        try {
            done = CompletableFuture.supplyAsync(() -> ConfigLoader.load(file), executor).thenCompose(apply);
        } catch (RuntimeException e) {
            // The executor is stopping: the process is shutting down.
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((message, error) -> {
            if (error == null) {
                logger.info("{}: {}", trigger, message);
            } else {
                logger.warn("{}: reload of {} refused, the running configuration stays in force:{}{}",
                        trigger, file, System.lineSeparator(), StartupException.describe(error));
            }
        });
    }
}

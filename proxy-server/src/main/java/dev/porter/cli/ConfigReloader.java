package dev.porter.cli;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * {@code POST /reload}: reads the configuration file again and hands the new
 * {@link ProxyConfig} to {@code apply}.
 *
 * <p>Loading parses a file and resolves upstream names, both blocking, so it runs on its own
 * single thread, never on the admin event loop; one thread also means two reloads never
 * overlap. A file with problems fails the stage with every problem, one per line.
 */
final class ConfigReloader {
    private final Path file;
    private final ExecutorService executor;
    private final Function<ProxyConfig, CompletionStage<String>> apply;

    ConfigReloader(Path file, ExecutorService executor, Function<ProxyConfig, CompletionStage<String>> apply) {
        this.file = file;
        this.executor = executor;
        this.apply = apply;
    }

    CompletionStage<String> reload() {
        return CompletableFuture.supplyAsync(() -> ConfigLoader.load(file), executor).thenCompose(apply);
    }
}

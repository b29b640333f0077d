package dev.porter.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Porter as a separate JVM: {@code java -jar porter.jar run --config FILE}, so that its CPU
 * time can be read from {@code /proc/PID/stat} and it shares nothing with the load generator.
 */
public final class PorterProcess implements RunningProxy {
    private final ChildProcess process;
    private final PorterSettings settings;

    private PorterProcess(ChildProcess process, PorterSettings settings) {
        this.process = process;
        this.settings = settings;
    }

    /** Writes the config to {@code dir}, starts Porter and waits until it listens. */
    public static PorterProcess start(Path porterJar, PorterSettings settings, Path dir)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(porterJar)) {
            throw new IOException("no " + porterJar + ": build it with `mvn -pl proxy-server -am package`");
        }
        Path config = Files.writeString(dir.resolve("porter.conf"), PorterConfigWriter.write(settings));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ChildProcess p = ChildProcess.start("porter", List.of(java, "-XX:+UseParallelGC", "-jar",
                porterJar.toString(), "run", "--config", config.toString()), dir.resolve("porter.log"));
        try {
            p.awaitListening(settings.listen(), Duration.ofSeconds(30));
        } catch (IOException | InterruptedException e) {
            p.close();
            throw e;
        }
        return new PorterProcess(p, settings);
    }

    @Override
    public InetSocketAddress address() {
        return settings.listen();
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public InetSocketAddress admin() {
        return settings.admin();
    }

    @Override
    public void close() {
        process.close();
    }
}

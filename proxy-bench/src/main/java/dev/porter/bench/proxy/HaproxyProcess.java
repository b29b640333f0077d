package dev.porter.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * HAProxy as a child process in the foreground ({@code -db}: no daemon, no master-worker), one
 * process whose threads {@link ProcessCpu} reads from its one stat line; stopped by its PID.
 * Its output (warnings included) goes to a log in its temp dir, shown when it fails to start.
 */
public final class HaproxyProcess implements RunningProxy {
    private final ChildProcess process;
    private final InetSocketAddress listen;
    private final Path dir;

    private HaproxyProcess(ChildProcess process, InetSocketAddress listen, Path dir) {
        this.process = process;
        this.listen = listen;
        this.dir = dir;
    }

    /** haproxy on PATH, else /usr/sbin/haproxy; empty when neither exists. */
    public static Optional<Path> locate() {
        return Binaries.locate("haproxy");
    }

    /** Starts HAProxy in {@code settings.dir()}, which belongs to it from now on (deleted when stopped or when the start fails). */
    public static HaproxyProcess start(Path haproxy, HaproxySettings settings, Launch launch)
            throws IOException, InterruptedException {
        Path dir = settings.dir();
        Path log = dir.resolve("haproxy.out");
        try {
            Path conf = Files.writeString(dir.resolve("haproxy.cfg"), HaproxyConfigWriter.write(settings));
            ChildProcess p = ChildProcess.start("haproxy", launch.server(List.of(haproxy.toString(), "-db",
                    "-f", conf.toString())), log);
            try {
                p.awaitListening(settings.listen(), Duration.ofSeconds(10));
            } catch (IOException | InterruptedException e) {
                p.close();
                throw e;
            }
            return new HaproxyProcess(p, settings.listen(), dir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            TempDirs.tail(log, 10).forEach(l -> System.err.println("  haproxy: " + l));
            TempDirs.deleteQuietly(dir);
            throw e;
        }
    }

    @Override
    public InetSocketAddress address() {
        return listen;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public void close() {
        process.close();
        TempDirs.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return process.toString();
    }
}

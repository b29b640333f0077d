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
 * nginx as a child process ({@code daemon off; master_process on}), stopped by the master's
 * PID; its workers are the master's children, and {@link dev.porter.bench.proxy.ProcessCpu}
 * adds their CPU time in.
 */
public final class NginxProcess implements RunningProxy {
    private final ChildProcess process;
    private final InetSocketAddress listen;
    private final Path dir;

    private NginxProcess(ChildProcess process, InetSocketAddress listen, Path dir) {
        this.process = process;
        this.listen = listen;
        this.dir = dir;
    }

    /** nginx on PATH, else /usr/sbin/nginx; empty when neither exists. */
    public static Optional<Path> locate() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "nginx");
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        Path sbin = Path.of("/usr/sbin/nginx");
        return Files.isExecutable(sbin) ? Optional.of(sbin) : Optional.empty();
    }

    /** Starts nginx in {@code settings.dir()}, which belongs to it from now on (deleted when stopped or when the start fails). */
    public static NginxProcess start(Path nginx, NginxSettings settings) throws IOException, InterruptedException {
        try {
            return startIn(nginx, settings);
        } catch (IOException | InterruptedException | RuntimeException e) {
            List<String> tail = TempDirs.tail(settings.dir().resolve("error.log"), 10);
            tail.forEach(l -> System.err.println("  nginx: " + l));
            TempDirs.deleteQuietly(settings.dir());
            throw e;
        }
    }

    private static NginxProcess startIn(Path nginx, NginxSettings settings) throws IOException, InterruptedException {
        Path conf = Files.writeString(settings.dir().resolve("nginx.conf"), NginxConfigWriter.write(settings));
        // -e: the error log before the config is read (nginx >= 1.19.5); -p: prefix for relative paths
        ChildProcess p = ChildProcess.start("nginx", List.of(nginx.toString(), "-p", settings.dir().toString(),
                "-e", settings.dir().resolve("error.log").toString(), "-c", conf.toString()),
                settings.dir().resolve("nginx.out"));
        try {
            p.awaitListening(settings.listen(), Duration.ofSeconds(10));
        } catch (IOException | InterruptedException e) {
            p.close();
            throw e;
        }
        return new NginxProcess(p, settings.listen(), settings.dir());
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
        List<String> errors = TempDirs.tail(dir.resolve("error.log"), 5);
        if (!errors.isEmpty()) {
            System.err.println("porter-bench: nginx's error.log (last lines):");
            errors.forEach(l -> System.err.println("  " + l));
        }
        TempDirs.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return process.toString();
    }
}

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
 * nginx as a child process ({@code daemon off; master_process on}), as a peer proxy or as the
 * static origin, stopped by the master's PID; its workers are the master's children, and
 * {@link ProcessCpu} and {@link ProcessMemory} add them in.
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
        return Binaries.locate("nginx");
    }

    /** Starts nginx in {@code settings.dir()}, which belongs to it from now on (deleted when stopped or when the start fails). */
    public static NginxProcess start(Path nginx, NginxSettings settings) throws IOException, InterruptedException {
        return start(nginx, settings, Launch.unpinned());
    }

    /** As {@link #start(Path, NginxSettings)}, launched as a server of {@code launch}. */
    public static NginxProcess start(Path nginx, NginxSettings settings, Launch launch)
            throws IOException, InterruptedException {
        return start(nginx, "nginx", settings, launch);
    }

    /** As {@link #start(Path, NginxSettings, Launch)}, named {@code name} in logs and reports (the bench's twin). */
    public static NginxProcess start(Path nginx, String name, NginxSettings settings, Launch launch)
            throws IOException, InterruptedException {
        return start(nginx, name, NginxConfigWriter.write(settings), settings.listen(), settings.dir(), launch);
    }

    /** The static origin ({@link NginxConfigWriter#writeOrigin}) in {@code dir}, which belongs to it from now on. */
    public static NginxProcess startOrigin(Path nginx, InetSocketAddress listen, Path dir, Launch launch)
            throws IOException, InterruptedException {
        return start(nginx, "nginx-origin", NginxConfigWriter.writeOrigin(dir, listen), listen, dir, launch);
    }

    private static NginxProcess start(Path nginx, String name, String config, InetSocketAddress listen, Path dir,
            Launch launch) throws IOException, InterruptedException {
        try {
            Path conf = Files.writeString(dir.resolve("nginx.conf"), config);
            // -e: the error log before the config is read (nginx >= 1.19.5); -p: prefix for relative paths
            ChildProcess p = ChildProcess.start(name, launch.server(List.of(nginx.toString(), "-p", dir.toString(),
                    "-e", dir.resolve("error.log").toString(), "-c", conf.toString())), dir.resolve("nginx.out"));
            try {
                p.awaitListening(listen, Duration.ofSeconds(10));
            } catch (IOException | InterruptedException e) {
                p.close();
                throw e;
            }
            return new NginxProcess(p, listen, dir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            List<String> tail = TempDirs.tail(dir.resolve("error.log"), 10);
            tail.forEach(l -> System.err.println("  " + name + ": " + l));
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
        List<String> errors = TempDirs.tail(dir.resolve("error.log"), 5);
        if (!errors.isEmpty()) {
            System.err.println("porter-bench: " + process + " error.log (last lines):");
            errors.forEach(l -> System.err.println("  " + l));
        }
        TempDirs.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return process.toString();
    }
}

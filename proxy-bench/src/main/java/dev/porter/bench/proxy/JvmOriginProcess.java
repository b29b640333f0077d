package dev.porter.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * An origin of the bench's own ({@code porter-bench origin --kind static|tomcat}) in a child JVM
 * started from this JVM's class path, so that it runs on the servers' CPUs, apart from the load
 * generator, and its CPU time is its own. Stopped by its PID; owns its temp dir (the log).
 */
public final class JvmOriginProcess implements RunningProxy {
    private final ChildProcess process;
    private final InetSocketAddress listen;
    private final Path dir;

    private JvmOriginProcess(ChildProcess process, InetSocketAddress listen, Path dir) {
        this.process = process;
        this.listen = listen;
        this.dir = dir;
    }

    /** Starts an origin of {@code kind} on {@code listen} and waits until it accepts. */
    public static JvmOriginProcess start(String kind, InetSocketAddress listen, int maxThreads, Launch launch)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("porter-bench-origin");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xms64m", "-Xmx512m", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                "dev.porter.bench.BenchMain", "origin", "--kind", kind, "--host", listen.getAddress().getHostAddress(),
                "--port", Integer.toString(listen.getPort()), "--max-threads", Integer.toString(maxThreads)));
        ChildProcess p = ChildProcess.start("origin-" + kind, launch.server(cmd), dir.resolve("origin.log"));
        try {
            p.awaitListening(listen, Duration.ofSeconds(30));
        } catch (IOException | InterruptedException e) {
            p.close();
            TempDirs.tail(dir.resolve("origin.log"), 10).forEach(l -> System.err.println("  origin: " + l));
            TempDirs.deleteQuietly(dir);
            throw e;
        }
        return new JvmOriginProcess(p, listen, dir);
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

package dev.porter.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the bench started (Porter, nginx, the bench itself in a namespace), stopped by
 * its own {@link Process} handle: SIGTERM to it and its descendants, then SIGKILL after a
 * grace period. Never by name.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with stdout and stderr going to {@code log} (or inherited when null). */
    public static ChildProcess start(String name, List<String> command, Path log) throws IOException {
        return start(name, command, Map.of(), log);
    }

    /** As {@link #start(String, List, Path)}, with {@code environment} added to this process's. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        if (log == null) {
            pb.inheritIO();
        } else {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        return new ChildProcess(name, pb.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    /**
     * Waits until {@code address} accepts a connection; fails early when the process dies.
     * Bounded by {@code timeout}.
     */
    public void awaitListening(InetSocketAddress address, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + (log != null ? "; see " + log : ""));
            }
            try (Socket s = new Socket()) {
                s.connect(address, 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException(name + " did not listen on " + address + " within " + timeout
                + (log != null ? "; see " + log : ""));
    }

    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }
}

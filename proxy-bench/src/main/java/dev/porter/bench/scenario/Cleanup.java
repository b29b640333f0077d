package dev.porter.bench.scenario;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything a run started (Tomcat, Porter and nginx processes, namespaced children, temp
 * dirs), closed in reverse order when the run ends and, through a JVM shutdown hook, on
 * Ctrl-C or SIGTERM. One instance per process, built by {@code BenchMain} and passed down.
 */
public final class Cleanup implements AutoCloseable {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Thread hook = new Thread(this::closeAll, "porter-bench-cleanup");

    public Cleanup() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Registers {@code r} and returns it. */
    public synchronized <T extends AutoCloseable> T register(T r) {
        resources.push(r);
        return r;
    }

    /** Forgets {@code r} without closing it. */
    public synchronized void forget(AutoCloseable r) {
        resources.remove(r);
    }

    /** Closes {@code r} now and forgets it. */
    public void closeNow(AutoCloseable r) {
        synchronized (this) {
            resources.remove(r);
        }
        closeQuietly(r);
    }

    private void closeAll() {
        while (true) {
            AutoCloseable r;
            synchronized (this) {
                r = resources.poll();
            }
            if (r == null) {
                return;
            }
            closeQuietly(r);
        }
    }

    private static void closeQuietly(AutoCloseable r) {
        try {
            r.close();
        } catch (Exception e) {
            System.err.println("porter-bench: cleanup of " + r + " failed: " + e);
        }
    }

    @Override
    public void close() {
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // already running as the hook
        }
    }
}

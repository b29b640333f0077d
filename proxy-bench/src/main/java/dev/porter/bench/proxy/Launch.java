package dev.porter.bench.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the bench starts the processes it measures: which CPUs the servers (proxies and origin)
 * and the load generator may run on ({@code taskset -c}), and how many file descriptors every
 * child may open ({@code prlimit --nofile}, so that 10,000 idle connections fit whatever the
 * shell's {@code ulimit -n} was). Unpinned when no CPU sets are given.
 *
 * @param serverCpus taskset CPU list for proxies and origin, or null for any CPU
 * @param loadCpus   taskset CPU list for the load generator (wrk, ab, the bench's own JVM), or null
 * @param nofile     RLIMIT_NOFILE for every child, 0 to leave it as inherited
 */
public record Launch(String serverCpus, String loadCpus, int nofile) {
    /**
     * What the children get: room for the idle-connections scenario and its upstreams (65,536), or
     * the hard limit this process was given when that is lower (raising a hard limit takes
     * CAP_SYS_RESOURCE, which a container's root may not have).
     */
    public static final int DEFAULT_NOFILE = (int) Math.min(65536, hardNofileLimit());

    /** No pinning, the default descriptor limit. */
    public static Launch unpinned() {
        return new Launch(null, null, DEFAULT_NOFILE);
    }

    /**
     * Servers on the first half of the machine's CPUs, the load generator on the rest (on two
     * cores: CPU 0 and CPU 1), as in the hand-run comparison.
     */
    public static Launch split(int cores) {
        if (cores < 2) {
            throw new IllegalArgumentException("--pin needs at least 2 CPUs, this machine has " + cores);
        }
        int half = cores / 2;
        return new Launch(range(0, half - 1), range(half, cores - 1), DEFAULT_NOFILE);
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }

    /** The hard RLIMIT_NOFILE of this process, from /proc/self/limits; 65,536 when unreadable or unlimited. */
    static long hardNofileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[1].equals("unlimited") ? 65536 : Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the default
        }
        return 65536;
    }

    public boolean pinned() {
        return serverCpus != null || loadCpus != null;
    }

    /** {@code command} prefixed to run as a server (proxy or origin). */
    public List<String> server(List<String> command) {
        return wrap(serverCpus, command);
    }

    /** {@code command} prefixed to run as the load generator. */
    public List<String> load(List<String> command) {
        return wrap(loadCpus, command);
    }

    private List<String> wrap(String cpus, List<String> command) {
        List<String> c = new ArrayList<>();
        if (nofile > 0 && Files.isExecutable(Path.of("/usr/bin/prlimit"))) {
            c.addAll(List.of("/usr/bin/prlimit", "--nofile=" + nofile + ":" + nofile, "--"));
        }
        if (cpus != null) {
            c.addAll(List.of("taskset", "-c", cpus));
        }
        c.addAll(command);
        return c;
    }

    /**
     * Moves every thread of this JVM onto the load CPUs ({@code taskset -a -p}); threads started
     * later inherit it. Also raises this JVM's descriptor limit ({@code prlimit --pid}) when it
     * may, for the idle clients. Says on {@code log} what it could not do.
     */
    public void applyToThisJvm(java.io.PrintStream log) {
        long pid = ProcessHandle.current().pid();
        if (nofile > 0) {
            run(List.of("prlimit", "--pid", Long.toString(pid), "--nofile=" + nofile + ":" + nofile), log);
        }
        if (loadCpus != null) {
            run(List.of("taskset", "-a", "-p", "-c", loadCpus, Long.toString(pid)), log);
        }
    }

    private static void run(List<String> command, java.io.PrintStream log) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log.println("porter-bench: " + String.join(" ", command) + " did not finish");
                return;
            }
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.exitValue() != 0) {
                log.println("porter-bench: " + String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            log.println("porter-bench: " + command.get(0) + " not runnable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One line for the report. */
    public String describe() {
        if (!pinned()) {
            return "not pinned: proxies, origin and load generator share every CPU";
        }
        return "proxies and origin on CPU " + serverCpus + ", load generator on CPU " + loadCpus + " (taskset)";
    }
}

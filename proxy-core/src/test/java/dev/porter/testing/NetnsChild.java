package dev.porter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} class of the test classpath in a network namespace of its own
 * ({@code unshare --net}, as root; an unprivileged user namespace otherwise), where it may
 * narrow {@code ip_local_port_range}, turn {@code tcp_tw_reuse} off or set
 * {@code tcp_migrate_req}: sysctls of that namespace only, never the host's. The namespace
 * lives exactly as long as the child. The child proves it is not in the parent's namespace
 * before it changes anything ({@link #prepareInside}).
 */
public final class NetnsChild {
    private NetnsChild() {
    }

    /**
     * Starts {@code mainClass} with {@code args}; the child gets the parent's namespace id as its
     * first argument. Waits up to {@code timeout}; returns everything the child printed.
     */
    public static String run(Class<?> mainClass, List<String> args, Path dir, long timeoutSeconds)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(unshare());
        command.addAll(List.of(java, "-Xss512k", "-cp", System.getProperty("java.class.path"), mainClass.getName(),
                currentNamespace()));
        command.addAll(args);
        Path out = Files.createTempFile(dir, mainClass.getSimpleName(), ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /**
     * The {@code key=value} pairs of the child's {@code RESULT key=value ...} line, in order;
     * fails with everything the child printed when it printed none.
     */
    public static Map<String, String> result(String output) {
        String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("the scenario printed no result:\n" + output));
        Map<String, String> r = new LinkedHashMap<>();
        for (String kv : line.substring("RESULT ".length()).split(" ")) {
            String[] parts = kv.split("=", 2);
            r.put(parts[0], parts[1]);
        }
        return r;
    }

    /** A scenario's work in the child, given the child's arguments. */
    public interface Scenario {
        void run(String[] args) throws Exception;
    }

    /**
     * The child's whole {@code main}: runs {@code scenario}, prints what failed (the parent reads
     * the child's output) and exits with 0 or 1, also when threads the scenario started are left.
     */
    public static void runAndExit(Scenario scenario, String[] args) {
        int status = 0;
        try {
            scenario.run(args);
        } catch (Exception | AssertionError e) {
            e.printStackTrace(System.out);
            status = 1;
        }
        System.exit(status);
    }

    /** In the child: refuses unless in a namespace of its own, then brings {@code lo} up. */
    public static void prepareInside(String parentNamespace) throws IOException, InterruptedException {
        if (currentNamespace().equals(parentNamespace)) {
            throw new IllegalStateException("still in the parent's network namespace; refusing to change sysctls");
        }
        Process ip = new ProcessBuilder("ip", "link", "set", "lo", "up").inheritIO().start();
        if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
            throw new IOException("`ip link set lo up` failed in the namespace");
        }
    }

    /** Writes a sysctl of the child's own namespace, e.g. {@code ("net/ipv4/tcp_tw_reuse", "0")}. */
    public static void sysctl(String name, String value) throws IOException {
        Files.writeString(Path.of("/proc/sys").resolve(name), value);
    }

    /**
     * A {@code TcpExt} counter of this namespace, e.g. {@code DelayedACKs} (ACKs the kernel sent
     * only when its delayed-ACK timer fired, i.e. while a peer waited for one);
     * {@code /proc/net/netstat} has a names line, then a values line.
     */
    public static long tcpExt(String name) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                List<String> names = List.of(lines.get(i).split(" "));
                String[] values = lines.get(i + 1).split(" ");
                return Long.parseLong(values[names.indexOf(name)]);
            }
        }
        throw new IllegalStateException("no TcpExt lines in /proc/net/netstat");
    }

    static String currentNamespace() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    }

    private static List<String> unshare() throws IOException, InterruptedException {
        Process probe = new ProcessBuilder("unshare", "--net", "--", "true").start();
        if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
            return List.of("unshare", "--net", "--");
        }
        return List.of("unshare", "--net", "--map-root-user", "--");
    }
}

package dev.porter.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The bench's own network namespaces. A child is started as {@code unshare --net -- CMD}
 * (root) or {@code unshare --net --map-root-user -- CMD} (unprivileged user namespaces):
 * the namespace lives exactly as long as that process, so there is nothing to delete
 * afterwards. Inside, {@link #prepareInside} brings {@code lo} up and sets the sysctls.
 */
public final class NetNamespace {
    private NetNamespace() {
    }

    /** The command prefix that runs a command in a new network namespace; empty when this user cannot. */
    public static Optional<List<String>> unsharePrefix() {
        if (isRoot() && works(List.of("unshare", "--net", "--", "true"))) {
            return Optional.of(List.of("unshare", "--net", "--"));
        }
        if (works(List.of("unshare", "--net", "--map-root-user", "--", "true"))) {
            return Optional.of(List.of("unshare", "--net", "--map-root-user", "--"));
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean works(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** This process's network namespace, e.g. {@code net:[4026531840]}. */
    public static String current() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    }

    /**
     * Inside a fresh namespace: {@code lo} up, the ephemeral range narrowed to
     * {@code portRange} ("40000 40999") and TIME_WAIT reuse off, so that exhaustion takes
     * seconds. Refuses when this process is still in {@code parentNamespace}: the sysctls
     * must never be changed for the host.
     */
    public static void prepareInside(String parentNamespace, String portRange) throws IOException, InterruptedException {
        if (current().equals(parentNamespace)) {
            throw new IOException("still in the parent's network namespace " + parentNamespace
                    + "; refusing to change sysctls");
        }
        Process ip = new ProcessBuilder("ip", "link", "set", "lo", "up").inheritIO().start();
        if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
            throw new IOException("`ip link set lo up` failed in the namespace");
        }
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), portRange);
        Files.writeString(Path.of("/proc/sys/net/ipv4/tcp_tw_reuse"), "0");
    }
}

package dev.porter.restart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart with {@code reuse-port = true} under load loses nothing: a second real Porter
 * process binds the same address, the first gets SIGTERM, and every request of clients that
 * connect throughout gets its whole 200. Runs {@link ReusePortRestartScenario} in a network
 * namespace of its own (needs root or unprivileged user namespaces, as the bench does), so
 * that {@code tcp_migrate_req} is set there and never on the host.
 */
class ReusePortRestartIT {
    @TempDir
    Path dir;

    @Test
    void aSecondPorterOnTheSameAddressTakesOverWithoutAFailedRequest() throws Exception {
        Path jar = Path.of("target", "porter.jar").toAbsolutePath();
        assertThat(jar).exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(unshare());
        command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"),
                ReusePortRestartScenario.class.getName(), jar.toString(),
                Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), dir.toString()));
        Path out = dir.resolve("scenario.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("the scenario printed no result:\n" + output));
        Map<String, String> r = parse(line);

        assertThat(r.get("failed")).as(line).isEqualTo("0");
        assertThat(Long.parseLong(r.get("servedByOld"))).as(line).isPositive();
        assertThat(Long.parseLong(r.get("servedByNew"))).as(line).isPositive();
        assertThat(Long.parseLong(r.get("okAfterOldStopped"))).as(line).isPositive();
        assertThat(r.get("oldExited")).as(line).isEqualTo("true");
        // 128 + SIGTERM: how a JVM that ran its shutdown hooks on SIGTERM exits (systemd: SuccessExitStatus=143).
        assertThat(r.get("oldExit")).as(line).isEqualTo("143");
    }

    /** Root gets a plain network namespace; others an unprivileged user namespace with one. */
    private static List<String> unshare() throws Exception {
        Process probe = new ProcessBuilder("unshare", "--net", "--", "true").start();
        if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
            return List.of("unshare", "--net", "--");
        }
        return List.of("unshare", "--net", "--map-root-user", "--");
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> out = new HashMap<>();
        String counts = line.substring("RESULT ".length(), line.indexOf(" failures="));
        for (String kv : counts.split(" ")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }
}

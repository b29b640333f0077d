package dev.porter.cli;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The shipped {@code proxy-server/target/porter.jar} as a real process, started with the
 * running JVM's own {@code java}: what an operator runs, signals and all. Failsafe runs the
 * ITs that use it after {@code package}, so the jar is the one just built.
 *
 * <p>A started Porter listens on port 0 (listener and admin); the bound ports are read from
 * its "listening on" log line. Its output goes to {@code porter.log} in the test's directory.
 */
final class PorterJar implements AutoCloseable {
    /** Failsafe runs in proxy-server/. */
    static final Path JAR = Path.of("target", "porter.jar");
    private static final Pattern LISTENING = Pattern.compile(
            "listening on 127\\.0\\.0\\.1:(\\d+) .*admin on http://127\\.0\\.0\\.1:(\\d+)/status");

    private final Process process;
    private final Path log;
    private final InetSocketAddress listen;
    private final InetSocketAddress admin;

    private PorterJar(Process process, Path log, InetSocketAddress listen, InetSocketAddress admin) {
        this.process = process;
        this.log = log;
        this.listen = listen;
        this.admin = admin;
    }

    private static List<String> command(String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("no " + JAR.toAbsolutePath() + ": run the ITs with `mvn verify` (after package)");
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Short-lived test processes: start fast rather than run fast.
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code porter run --config FILE}, once it has said where it listens. */
    static PorterJar run(Path config) throws IOException {
        Path log = config.resolveSibling("porter.log");
        Process p = new ProcessBuilder(command("run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Matcher[] found = new Matcher[1];
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("porter exited with " + p.exitValue() + ":\n" + Files.readString(log));
                }
                Matcher m = LISTENING.matcher(Files.readString(log));
                found[0] = m;
                return m.find();
            });
            return new PorterJar(p, log,
                    new InetSocketAddress("127.0.0.1", Integer.parseInt(found[0].group(1))),
                    new InetSocketAddress("127.0.0.1", Integer.parseInt(found[0].group(2))));
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Runs {@code porter ARGS} to its end: the exit status and everything it printed. */
    static Result exec(Path dir, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "porter", ".out");
        Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("porter " + String.join(" ", args) + " did not end:\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    InetSocketAddress listen() {
        return listen;
    }

    InetSocketAddress admin() {
        return admin;
    }

    Process process() {
        return process;
    }

    /** Sends a signal by name ("TERM", "HUP") with kill(1), as an operator or a service manager would. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    /** Waits until the log contains {@code text}; if it never does, fails with the whole log, to show what happened instead. */
    void awaitLog(String text, Duration within) {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> log().contains(text));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("porter did not log \"" + text + "\" within " + within + "; its log:\n" + log(), e);
        }
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** How a finished command ended. */
    record Result(int exitCode, String output) {
    }
}

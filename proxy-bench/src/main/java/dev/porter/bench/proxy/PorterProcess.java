package dev.porter.bench.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Porter as a separate process, started the way the README starts it: {@code bin/porter run
 * --config FILE} ({@link PorterCommand}: the launcher, conf/jvm.options, the CDS archive), so
 * that the bench measures what operators run. The launcher execs the JVM, so the PID is the
 * JVM's: its CPU time can be read from {@code /proc/PID/stat}, and it shares no heap or threads
 * with the load generator. Owns its temp dir (config and log): deleted when Porter is stopped,
 * after the log's WARN/ERROR lines are summarised on stderr (that is where a misbehaving Porter
 * shows).
 */
public final class PorterProcess implements RunningProxy {
    private final ChildProcess process;
    private final PorterSettings settings;
    private final Path dir;
    private final String transport;

    private PorterProcess(ChildProcess process, PorterSettings settings, Path dir, String transport) {
        this.process = process;
        this.settings = settings;
        this.dir = dir;
        this.transport = transport;
    }

    /**
     * Writes the config to {@code dir}, starts Porter with {@code command} as a server of
     * {@code launch} (pinned, descriptor limit) and waits until its listener accepts. {@code dir}
     * belongs to the returned process from now on (deleted also when the start fails).
     * {@code onSpawn} gets a stopper for the child right after it is spawned, before it listens,
     * so that a Ctrl-C during start-up stops it too.
     */
    public static PorterProcess start(PorterCommand command, PorterSettings settings, Path dir,
            java.util.function.Consumer<AutoCloseable> onSpawn, Launch launch)
            throws IOException, InterruptedException {
        ChildProcess p = null;
        try {
            if (!Files.isRegularFile(command.jar())) {
                throw new IOException("no " + command.jar() + ": build it with `mvn -B -DskipTests package` in the repository root");
            }
            Path config = Files.writeString(dir.resolve("porter.conf"), PorterConfigWriter.write(settings));
            p = ChildProcess.start("porter", launch.server(command.run(config)), command.environment(),
                    dir.resolve("porter.log"));
            ChildProcess spawned = p;
            onSpawn.accept(() -> {
                spawned.close();
                TempDirs.deleteQuietly(dir);
            });
            p.awaitListening(reachable(settings.listen()), Duration.ofSeconds(30));
            return new PorterProcess(p, settings, dir, awaitTransport(p.log()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (p != null) {
                p.close();
                List<String> tail = TempDirs.tail(p.log(), 20);
                if (!tail.isEmpty()) {
                    System.err.println("porter-bench: Porter's log (last lines):");
                    tail.forEach(l -> System.err.println("  " + l));
                }
            }
            TempDirs.deleteQuietly(dir);
            throw e;
        }
    }

    /** Where a client reaches {@code listen}: a wildcard listener on loopback. */
    static InetSocketAddress reachable(InetSocketAddress listen) {
        return listen.getAddress() != null && listen.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), listen.getPort()) : listen;
    }

    @Override
    public InetSocketAddress address() {
        return settings.listen();
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public InetSocketAddress admin() {
        return settings.admin();
    }

    @Override
    public String transport() {
        return transport;
    }

    /** The listener accepts a moment before Porter logs its start line: waits up to 5 s for the line. */
    private static String awaitTransport(Path log) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String t = transportIn(log);
        while (t.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(50);
            t = transportIn(log);
        }
        return t;
    }

    /** The transport Porter's start line names ("listening on ... (N workers, io_uring..."), or "". */
    static String transportIn(Path log) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.map(START_LINE::matcher).filter(Matcher::find).map(m -> m.group(1))
                    .findFirst().orElse("");
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static final Pattern START_LINE = Pattern.compile(" listening on .* \\(\\d+ workers, (\\w+)");

    @Override
    public void close() {
        process.close();
        summariseLog(process.log(), process.toString());
        TempDirs.deleteQuietly(dir);
    }

    /**
     * Prints how many WARN and ERROR (or Netty LEAK) lines Porter logged, grouped by message with
     * addresses, ids and numbers masked, most frequent first; nothing when there are none.
     */
    static void summariseLog(Path log, String who) {
        Map<String, Long> byMessage = new HashMap<>();
        long warn = 0;
        long error = 0;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String level;
                if (line.contains(" ERROR ") || line.contains("LEAK")) {
                    error++;
                    level = "ERROR";
                } else if (line.contains(" WARN ")) {
                    warn++;
                    level = "WARN";
                } else {
                    continue;
                }
                byMessage.merge(level + " " + pattern(line), 1L, Long::sum);
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (warn + error > 0) {
            System.err.printf("porter-bench: %s logged %d WARN and %d ERROR/LEAK lines:%n", who, warn, error);
            byMessage.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(5)
                    .forEach(e -> System.err.printf("  %8d x %s%n", e.getValue(), abbreviate(e.getKey())));
        }
    }

    /** A log line's message with the logger prefix dropped and ids, addresses and numbers masked. */
    static String pattern(String line) {
        int dash = line.indexOf(" - ");
        String msg = dash >= 0 ? line.substring(dash + 3) : line;
        return msg.replaceAll("\\[id: [^\\]]*\\]", "[id]")
                .replaceAll("[0-9a-f]{2}(:[0-9a-f]{2}){5,}", "<mac>")
                .replaceAll("[0-9]+", "#");
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    @Override
    public String toString() {
        return process.toString();
    }
}

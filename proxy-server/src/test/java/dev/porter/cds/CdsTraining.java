package dev.porter.cds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code porter.jsa}, the class-data sharing archive that {@code bin/porter} hands to the
 * JVM so that a start maps Porter's classes instead of loading, parsing and verifying them. The
 * build runs it (exec-maven-plugin, {@code package} phase, after the shade plugin wrote
 * {@code porter.jar}).
 *
 * <p>The archive comes from a training run: Porter is started through the launcher exactly as an
 * operator starts it (same jar path, same {@code jvm.options}; the JVM only accepts an archive
 * for the class path it was made with), plus {@code -XX:DumpLoadedClassList}. It proxies a short
 * session of real traffic to an upstream this program serves (keep-alive GETs, bodies both ways,
 * chunked responses, a malformed request, {@code /status}, {@code /metrics}) and is stopped with
 * SIGTERM, so that the list holds the classes of start-up, of the request path and of shutdown.
 * Then {@code -Xshare:dump}, again through the launcher, writes a static archive of exactly those
 * classes, the JDK's included, which replaces the JDK's own archive. A static archive rather than
 * a dynamic one ({@code -XX:ArchiveClassesAtExit} on top of the JDK's archive): JDK 17 leaves
 * classes of old class-file versions (picocli's 172) out of a dynamic archive, the JDK's archive
 * holds classes Porter never loads, which are mapped and relocated all the same, and a dynamic
 * archive is unusable on a JDK that ships without its own. Measured: ~1 MB less RSS after start,
 * the same CPU to start (docs/bench/2026-12-02-jvm). The archive is written beside the final one
 * and moved into place only when complete.
 *
 * <p>Usage: {@code CdsTraining LAUNCHER JAR ARCHIVE WORKDIR}. Exit 0 with the archive written,
 * 1 with the reason and Porter's log on stderr. Talks only to loopback, on ports the kernel
 * picks; every wait is bounded.
 */
public final class CdsTraining {
    private static final Pattern STARTED =
            Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) .*admin on http://127\\.0\\.0\\.1:(\\d+)/status");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int GETS = 200;
    private static final int POSTS = 50;
    private static final int CHUNKED = 20;

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: CdsTraining LAUNCHER JAR ARCHIVE WORKDIR");
            System.exit(2);
        }
        Path launcher = Path.of(args[0]).toAbsolutePath();
        Path jar = Path.of(args[1]).toAbsolutePath();
        Path archive = Path.of(args[2]).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(args[3]).toAbsolutePath());
        try {
            long requests = train(launcher, jar, archive, work);
            System.out.printf("CDS archive %s: %.1f MiB, the classes of a training run of %d requests%n",
                    archive, Files.size(archive) / 1048576.0, requests);
        } catch (TrainingException e) {
            System.err.println("CDS training failed: " + e.getMessage());
            Path log = work.resolve("porter.log");
            if (Files.isRegularFile(log)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                System.err.println("Porter's log (" + log + "), last lines:");
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> System.err.println("  " + l));
            }
            System.exit(1);
        }
    }

    private static long train(Path launcher, Path jar, Path archive, Path work) throws Exception {
        // The old archive belongs to the old jar; and with one in place the launcher would hand
        // it to the JVM, which cannot dump a new archive on top of an old one.
        Files.deleteIfExists(archive);
        Path partial = work.resolve("porter.jsa.partial");
        Files.deleteIfExists(partial);
        Path classList = work.resolve("porter.classlist");
        Files.deleteIfExists(classList);

        ExecutorService upstreamThreads = Executors.newFixedThreadPool(4);
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/", CdsTraining::serve);
        upstream.start();
        Process porter = null;
        try {
            Path conf = Files.writeString(work.resolve("porter.conf"), """
                    porter {
                      workers = 1
                      listeners = [ { address = "127.0.0.1:0" } ]
                      upstreams { app { servers = [ { address = "127.0.0.1:%d" } ] } }
                      routes = [ { path-prefix = "/", upstream = app } ]
                      admin.address = "127.0.0.1:0"
                      access-log.path = stdout
                      shutdown-timeout = 5s
                    }
                    """.formatted(upstream.getAddress().getPort()));
            Path log = work.resolve("porter.log");
            ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "run", "--config", conf.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("PORTER_JAR", jar.toString());
            env.put("PORTER_JAVA_OPTS", "-XX:DumpLoadedClassList=" + classList);
            porter = pb.start();

            Matcher started = awaitStarted(porter, log);
            String proxy = "http://127.0.0.1:" + started.group(1);
            String admin = "http://127.0.0.1:" + started.group(2);
            long requests = traffic(proxy, admin, Integer.parseInt(started.group(1)));

            porter.destroy(); // SIGTERM: graceful shutdown, whose classes go in the list too
            if (!porter.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new TrainingException("Porter did not exit within " + START_TIMEOUT + " of SIGTERM");
            }
            if (porter.exitValue() != 143) {
                throw new TrainingException("Porter exited with " + porter.exitValue() + " after SIGTERM, not 143");
            }
            if (!Files.isRegularFile(classList) || Files.size(classList) == 0) {
                throw new TrainingException("the JVM wrote no class list at " + classList);
            }
            dump(launcher, jar, classList, partial, work.resolve("dump.log"));
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return requests;
        } finally {
            if (porter != null && porter.isAlive()) {
                porter.destroyForcibly();
                porter.waitFor(10, TimeUnit.SECONDS);
            }
            upstream.stop(0);
            upstreamThreads.shutdownNow();
        }
    }

    /**
     * {@code -Xshare:dump} through the launcher, so that the archive is made with the options and
     * the jar path a start will use; the JVM exits after writing it, without running Porter.
     */
    private static void dump(Path launcher, Path jar, Path classList, Path archive, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PORTER_JAR", jar.toString());
        env.put("PORTER_JAVA_OPTS", "-Xshare:dump -XX:SharedClassListFile=" + classList
                + " -XX:SharedArchiveFile=" + archive);
        Process dump = pb.start();
        if (!dump.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            dump.destroyForcibly();
            throw new TrainingException("-Xshare:dump did not finish within " + START_TIMEOUT + "; see " + log);
        }
        if (dump.exitValue() != 0 || !Files.isRegularFile(archive) || Files.size(archive) == 0) {
            throw new TrainingException("-Xshare:dump exited with " + dump.exitValue() + " and no archive at "
                    + archive + ": " + abbreviate(Files.readString(log, StandardCharsets.UTF_8)));
        }
    }

    /** {@code /echo} returns the request body; {@code /chunked} answers without a length; else "hello". */
    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/echo")) {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } else if (path.equals("/chunked")) {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 4; i++) {
                        out.write(("part " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            } else {
                byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, hello.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(hello);
                }
            }
        }
    }

    private static Matcher awaitStarted(Process porter, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(log)) {
                Matcher m = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    return m;
                }
            }
            if (!porter.isAlive()) {
                throw new TrainingException("Porter exited with " + porter.exitValue() + " before it listened");
            }
            // polls a file another process writes; nothing to wait on instead
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new TrainingException("Porter did not log that it listens within " + START_TIMEOUT);
    }

    /** The training session; returns how many requests it sent. Every response must be what Porter forwards. */
    private static long traffic(String proxy, String admin, int proxyPort) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        long sent = 0;
        for (int i = 0; i < GETS; i++) {
            expect(client, HttpRequest.newBuilder(URI.create(proxy + "/hello?i=" + i)).build(), 200, "hello\n");
            sent++;
        }
        String payload = "x".repeat(2048);
        for (int i = 0; i < POSTS; i++) {
            expect(client, HttpRequest.newBuilder(URI.create(proxy + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), 200, payload);
            sent++;
        }
        for (int i = 0; i < CHUNKED; i++) {
            expect(client, HttpRequest.newBuilder(URI.create(proxy + "/chunked")).build(), 200,
                    "part 0\npart 1\npart 2\npart 3\n");
            sent++;
        }
        expect(client, HttpRequest.newBuilder(URI.create(admin + "/status")).build(), 200, null);
        expect(client, HttpRequest.newBuilder(URI.create(admin + "/metrics")).build(), 200, null);
        sent += 2;
        // Porter's answers of its own: a request it refuses, and a client that closes.
        sent += raw(proxyPort, "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "HTTP/1.1 400");
        sent += raw(proxyPort, "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "HTTP/1.1 200");
        return sent;
    }

    private static void expect(HttpClient client, HttpRequest request, int status, String body) throws Exception {
        HttpRequest bounded = HttpRequest.newBuilder(request, (n, v) -> true).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = client.send(bounded, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status || (body != null && !response.body().equals(body))) {
            throw new TrainingException(request.method() + " " + request.uri() + ": " + response.statusCode()
                    + " " + abbreviate(response.body()) + ", expected " + status);
        }
    }

    private static long raw(int port, String request, String statusLine) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!response.startsWith(statusLine)) {
                throw new TrainingException(request.lines().findFirst().orElse("") + ": " + abbreviate(response)
                        + ", expected " + statusLine);
            }
        }
        return 1;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** A training run that did not go as expected; its message is the one line the build prints. */
    private static final class TrainingException extends IOException {
        TrainingException(String message) {
            super(message);
        }
    }
}

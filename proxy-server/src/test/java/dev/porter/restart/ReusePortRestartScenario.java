package dev.porter.restart;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A zero-downtime restart with {@code reuse-port}, run inside a network namespace of its own
 * (started by {@link ReusePortRestartIT} under {@code unshare --net}), where it may set
 * {@code net.ipv4.tcp_migrate_req = 1} without touching the host: an upstream, an old Porter
 * process, load from new connections, a new Porter on the same address, SIGTERM to the old one,
 * more load. Prints one line of counts, {@code RESULT ok=.. failed=.. ...}, for the test to judge.
 */
public final class ReusePortRestartScenario {
    private static final Pattern ADMIN = Pattern.compile("admin on http://([0-9.]+:[0-9]+)/status");
    private static final long LOAD_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private ReusePortRestartScenario() {
    }

    private static final List<Process> started = new ArrayList<>();
    private static final List<Load> loads = new ArrayList<>();

    public static void main(String[] args) {
        int status = 0;
        try {
            run(args);
        } catch (Exception | AssertionError e) {
            e.printStackTrace(System.out);
            status = 1;
        } finally {
            loads.forEach(l -> l.running.set(false));
            started.forEach(Process::destroyForcibly);
        }
        System.exit(status);
    }

    private static void run(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String parentNamespace = args[1];
        Path dir = Path.of(args[2]);
        if (Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString().equals(parentNamespace)) {
            throw new IllegalStateException("not in a network namespace of its own; refusing to change sysctls");
        }
        exec("ip", "link", "set", "lo", "up");
        Files.writeString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req"), "1");

        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        upstream.setExecutor(Executors.newFixedThreadPool(32));
        upstream.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/slow")) {
                sleep(300); // in flight when SIGTERM arrives
            }
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
        int listenPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listenPort = s.getLocalPort(); // nothing else runs in this namespace
        }
        String conf = """
                porter {
                  workers = 2
                  listeners = [ { address = "127.0.0.1:%d", reuse-port = true } ]
                  upstreams { app { servers = [ { address = "127.0.0.1:%d" } ] } }
                  routes = [ { path-prefix = "/", upstream = app } ]
                  admin.address = "127.0.0.1:0"
                  shutdown-timeout = 10s
                }
                """.formatted(listenPort, upstream.getAddress().getPort());
        Path confFile = Files.writeString(dir.resolve("porter.conf"), conf);

        Process old = porter(jar, confFile, dir.resolve("old.log"));
        String oldAdmin = awaitAdmin(old, dir.resolve("old.log"));

        Load load = new Load(listenPort);
        loads.add(load);
        load.start(16);
        sleep(1500);
        Process fresh = porter(jar, confFile, dir.resolve("new.log"));
        String freshAdmin = awaitAdmin(fresh, dir.resolve("new.log"));
        sleep(1000);
        long servedByOld = requests(oldAdmin);
        old.destroy(); // SIGTERM
        boolean oldExited = old.waitFor(30, TimeUnit.SECONDS);
        long afterOldStopped = load.ok.get();
        sleep(1500);
        load.stop();
        long servedByNew = requests(freshAdmin);
        fresh.destroy();
        fresh.waitFor(30, TimeUnit.SECONDS);
        upstream.stop(0);
        System.out.println("RESULT ok=" + load.ok.get() + " failed=" + load.failed.get()
                + " okAfterOldStopped=" + (load.ok.get() - afterOldStopped)
                + " servedByOld=" + servedByOld + " servedByNew=" + servedByNew
                + " oldExited=" + oldExited + " oldExit=" + (oldExited ? old.exitValue() : -1)
                + " failures=" + load.failures);
    }

    private static Process porter(Path jar, Path conf, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "run", "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    private static String awaitAdmin(Process p, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Matcher m = ADMIN.matcher(Files.readString(log));
            if (m.find()) {
                return m.group(1);
            }
            sleep(50);
        }
        throw new IllegalStateException("porter did not start: " + Files.readString(log));
    }

    /** Requests the client side has taken in so far, from {@code /status}. */
    private static long requests(String admin) throws IOException {
        String json = get(admin, "/status");
        Matcher m = Pattern.compile("\"totals\"\\s*:\\s*\\{[^}]*?\"requests\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no client totals in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    private static String get(String hostPort, String path) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        try (Socket s = new Socket(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Clients that open a new connection for every request, half of them slow. */
    private static final class Load {
        private final int port;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong ok = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final Map<String, Integer> failures = new ConcurrentHashMap<>();
        private final List<Thread> threads = new ArrayList<>();

        Load(int port) {
            this.port = port;
        }

        void start(int clients) {
            long until = System.nanoTime() + LOAD_LIMIT_NANOS;
            for (int i = 0; i < clients; i++) {
                String path = i % 2 == 0 ? "/slow" : "/fast";
                Thread t = new Thread(() -> {
                    while (running.get() && System.nanoTime() < until) {
                        once(path);
                    }
                });
                t.start();
                threads.add(t);
            }
        }

        private void once(String path) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                if (response.startsWith("HTTP/1.1 200") && response.endsWith("ok")) {
                    ok.incrementAndGet();
                } else {
                    fail(response.isEmpty() ? "empty response" : response.lines().findFirst().orElse(""));
                }
            } catch (IOException e) {
                fail(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        private void fail(String why) {
            failed.incrementAndGet();
            failures.merge(why, 1, Integer::sum);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}

package dev.porter.bench.backend;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * The upstream every scenario talks to: an embedded Tomcat with one NIO HTTP/1.1 connector
 * and a servlet that answers any path with a fixed 100-byte body, at once or after a delay.
 *
 * <p>Its keepalive settings default to what Tomcat ships in {@code server.xml}
 * ({@code keepAliveTimeout} 20 s, {@code maxKeepAliveRequests} 100), because those are what
 * the Tomcat TIME_WAIT incident was seen with; set them before {@link #start()}.
 * Not thread-safe: configure, start and close from one thread.
 */
public final class BenchBackend implements AutoCloseable {
    /** Tomcat logs through java.util.logging; held here so the level is not garbage collected away. */
    private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

    static {
        // start/stop chatter of every mode drowns the results table
        TOMCAT_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final String host;
    private final int port;
    private Duration keepAliveTimeout = Duration.ofSeconds(20);
    private int maxKeepAliveRequests = 100;
    private int maxThreads = 200;
    private int acceptCount = 100;
    private Duration responseDelay = Duration.ZERO;
    private ScheduledExecutorService timer;
    private Tomcat tomcat;
    private Path baseDir;
    private InetSocketAddress bound;

    /** A backend on {@code host:port}; port 0 takes any free port. */
    public BenchBackend(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Idle time Tomcat keeps a keepalive connection before it closes it (and so holds TIME_WAIT). */
    public void setKeepAliveTimeout(Duration keepAliveTimeout) {
        this.keepAliveTimeout = keepAliveTimeout;
    }

    /** Requests Tomcat serves on one connection before it answers {@code Connection: close}; -1 = no limit. */
    public void setMaxKeepAliveRequests(int maxKeepAliveRequests) {
        this.maxKeepAliveRequests = maxKeepAliveRequests;
    }

    /** Request-processing threads (Tomcat's default 200). */
    public void setMaxThreads(int maxThreads) {
        this.maxThreads = maxThreads;
    }

    /**
     * Connections the kernel queues for Tomcat's acceptor (Tomcat's default 100). A proxy that
     * opens a connection per client at once overflows 100, and the dropped SYNs come back only
     * after the client's retransmission timeout (1 s, 3 s, 7 s...).
     */
    public void setAcceptCount(int acceptCount) {
        this.acceptCount = acceptCount;
    }

    /** How long each request is held before its answer; zero (the default) answers at once. */
    public void setResponseDelay(Duration responseDelay) {
        this.responseDelay = responseDelay;
    }

    /** Starts Tomcat and returns the address it listens on. */
    public InetSocketAddress start() {
        try {
            baseDir = Files.createTempDirectory("porter-bench-tomcat");
            Tomcat t = new Tomcat();
            t.setBaseDir(baseDir.toString());
            Connector connector = new Connector("HTTP/1.1");
            connector.setPort(port);
            connector.setProperty("address", host);
            connector.setProperty("keepAliveTimeout", Long.toString(keepAliveTimeout.toMillis()));
            connector.setProperty("maxKeepAliveRequests", Integer.toString(maxKeepAliveRequests));
            connector.setProperty("maxThreads", Integer.toString(maxThreads));
            connector.setProperty("acceptCount", Integer.toString(acceptCount));
            t.setConnector(connector);
            t.getHost().setAutoDeploy(false);
            Context ctx = t.addContext("", baseDir.toString());
            if (ctx instanceof StandardContext sc) {
                // these checks need --add-opens and only matter for redeployed webapps
                sc.setClearReferencesThreadLocals(false);
                sc.setClearReferencesRmiTargets(false);
            }
            if (responseDelay.isZero()) {
                Tomcat.addServlet(ctx, "fixed", new FixedBodyServlet());
            } else {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread th = new Thread(r, "bench-backend-delay");
                    th.setDaemon(true);
                    return th;
                });
                Tomcat.addServlet(ctx, "fixed", new HeldBodyServlet(timer, responseDelay)).setAsyncSupported(true);
            }
            ctx.addServletMappingDecoded("/*", "fixed");
            t.start();
            tomcat = t;
            bound = new InetSocketAddress(host, connector.getLocalPort());
            return bound;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not start on " + host + ":" + port, e);
        }
    }

    /** The address Tomcat listens on; only after {@link #start()}. */
    public InetSocketAddress address() {
        if (bound == null) {
            throw new IllegalStateException("not started");
        }
        return bound;
    }

    @Override
    public void close() {
        try {
            if (tomcat != null) {
                tomcat.stop();
                tomcat.destroy();
            }
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not stop", e);
        } finally {
            tomcat = null;
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
            deleteQuietly(baseDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        // twice: a Tomcat thread still winding down may write into the work dir during the first pass
        for (int attempt = 0; attempt < 2 && Files.exists(dir); attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException ignored) {
                // retried once below
            }
            if (Files.exists(dir)) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (Files.exists(dir)) {
            // last resort (seen rarely after long runs: an empty dir left behind)
            dir.toFile().deleteOnExit();
        }
    }
}

package dev.porter.cli;

import dev.porter.Porter;
import dev.porter.admin.AdminServer;
import dev.porter.admin.ScrapedMetrics;
import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.observe.Addresses;
import dev.porter.observe.StatusView;
import dev.porter.observe.TcpReading;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One running Porter process: the access log target, the {@link Porter} proxy, the admin
 * listener, and whatever else the command started alongside (the demo backend). Built once
 * by {@code run} or {@code demo}; this is the object graph {@code main} owns.
 *
 * <p>Order matters both ways. Starting: access log first (so the first request is logged),
 * then the proxy, then admin. Stopping: the proxy drains first (in-flight requests finish
 * against a still-running backend), then admin, then the extras.
 *
 * <p>Thread-safety: started on the main thread; {@link #stop()} may run on the shutdown-hook
 * thread while main waits in {@link #awaitStopped()}; it runs once.
 */
final class ProxyProcess {
    private static final Logger logger = LoggerFactory.getLogger(ProxyProcess.class);

    private final Porter porter;
    private final AdminServer admin;
    private final InetSocketAddress adminAddress;
    private final List<AutoCloseable> extras;
    private final ExecutorService adminTasks;
    private final ProxyConfig config;
    private final ConfigReloader reloader;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ProxyProcess(Porter porter, AdminServer admin, InetSocketAddress adminAddress, List<AutoCloseable> extras,
                         ExecutorService adminTasks, ProxyConfig config,
                         ConfigReloader reloader) {
        this.porter = porter;
        this.admin = admin;
        this.adminAddress = adminAddress;
        this.extras = extras;
        this.adminTasks = adminTasks;
        this.config = config;
        this.reloader = reloader;
    }

    /**
     * Starts everything; on failure stops what had started (including {@code extras}).
     *
     * @param extras started by the caller before the proxy, stopped after it, in reverse order
     * @throws StartupException naming what failed and why, e.g. the address that cannot be bound
     */
    static ProxyProcess start(Path configFile, ProxyConfig config, AccessLogSetup accessLog, List<AutoCloseable> extras) {
        List<AutoCloseable> started = new ArrayList<>(extras);
        try {
            try {
                accessLog.apply(config.accessLog());
            } catch (RuntimeException e) {
                throw new StartupException("cannot set up the access log", e);
            }
            Porter porter;
            try {
                porter = Porter.start(config);
            } catch (RuntimeException e) {
                throw new StartupException("cannot start the proxy on " + addresses(config), e);
            }
            started.add(porter);

            // Admin work that must not run on an event loop: reloads (file I/O, DNS), gathering
            // what /metrics and /status show and the /proc reads of the kernel's view. One thread,
            // so two reloads never overlap and the meters are registered from one thread only.
            ExecutorService adminTasks = Executors.newSingleThreadExecutor(
                    new DefaultThreadFactory("porter-admin-tasks", true));
            started.add(adminTasks::shutdownNow);
            ConfigReloader reloader = new ConfigReloader(configFile, adminTasks,
                    next -> apply(porter, accessLog, configFile, next));

            AdminServer admin = null;
            InetSocketAddress adminAddress = null;
            if (config.admin().enabled()) {
                Instant startedAt = Instant.now();
                admin = new AdminServer(
                        config.admin().address(),
                        () -> status(porter, startedAt, adminTasks),
                        new ScrapedMetrics(porter, adminTasks)::scrape,
                        () -> reloader.reload("POST /reload"));
                try {
                    adminAddress = admin.start();
                } catch (RuntimeException e) {
                    throw new StartupException("cannot start the admin listener", e);
                }
            }
            return new ProxyProcess(porter, admin, adminAddress, List.copyOf(extras), adminTasks, config, reloader);
        } catch (RuntimeException e) {
            closeAll(reversed(started));
            throw e;
        }
    }

    /**
     * The /status document: the workers' counters and, in parallel on the admin-tasks thread,
     * the kernel's view (blocking /proc reads); combined there too, so the admin event loop
     * only waits for the future and serializes it.
     */
    static CompletableFuture<StatusView> status(Porter porter, Instant startedAt, Executor adminTasks) {
        CompletableFuture<TcpReading> tcp = CompletableFuture.supplyAsync(() -> TcpReading.take(porter::tcpCensus), adminTasks);
        return porter.status().thenCombineAsync(tcp, (snapshot, reading) -> StatusView.of(PorterVersion.get(),
                porter.transportName(), porter.config(), porter.listenAddresses(), startedAt, snapshot, reading, porter.sizingAdvice()), adminTasks);
    }

    /**
     * Swaps a freshly loaded configuration in (on the admin-tasks thread), moving the access
     * log first when its target changed so that the new routes' first requests land there.
     */
    private static CompletionStage<String> apply(Porter porter, AccessLogSetup accessLog, Path file, ProxyConfig next) {
        if (!next.accessLog().equals(porter.config().accessLog())) {
            accessLog.apply(next.accessLog());
        }
        return porter.reload(next).thenApply(done -> "reloaded " + file);
    }

    private static String addresses(ProxyConfig config) {
        return config.listeners().stream().map(l -> Addresses.hostPort(l.address())).collect(Collectors.joining(", "));
    }

    /** What a listener expects besides plain HTTP, for the start line: " (TLS, PROXY protocol)". */
    static String markers(ListenerConfig listener) {
        List<String> m = new ArrayList<>(2);
        if (listener.tls() != null) {
            m.add("TLS");
        }
        if (listener.proxyProtocol()) {
            // A listener that waits for a PROXY header refuses a client that connects directly.
            m.add("PROXY protocol");
        }
        return m.isEmpty() ? "" : " (" + String.join(", ", m) + ")";
    }

    /** One line for the operator: where the proxy and admin listen. */
    void logStarted() {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < porter.listenAddresses().size(); i++) {
            addresses.add(Addresses.hostPort(porter.listenAddresses().get(i)) + markers(config.listeners().get(i)));
        }
        String listen = String.join(", ", addresses);
        // Which TLS implementation serves: OpenSSL's speed, or the JDK's where it did not load.
        String tls = porter.tlsProvider() != null ? ", TLS by " + porter.tlsProvider() : "";
        if (adminAddress != null) {
            logger.info("porter {} listening on {} ({} workers, {}{}); admin on http://{}/status",
                    PorterVersion.get(), listen, config.workers(), porter.transportName(), tls, Addresses.hostPort(adminAddress));
        } else {
            logger.info("porter {} listening on {} ({} workers, {}{}); admin off",
                    PorterVersion.get(), listen, config.workers(), porter.transportName(), tls);
        }
    }

    /** The admin listener's bound address, or null when it is off. */
    InetSocketAddress adminAddress() {
        return adminAddress;
    }

    List<InetSocketAddress> listenAddresses() {
        return porter.listenAddresses();
    }

    /**
     * Makes SIGTERM and Ctrl-C stop the process gracefully; {@code accessLog} is flushed last
     * so that the lines of the requests drained during shutdown are written.
     */
    void stopOnShutdownSignal(AccessLogSetup accessLog) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop();
            accessLog.flushAndStop();
        }, "porter-shutdown"));
    }

    /**
     * Makes SIGHUP reload the configuration, as POST /reload does. Where the JVM refuses the
     * handler, says so at DEBUG and goes on.
     */
    void reloadOnHangup() {
        new ReloadSignal(reloader).install();
    }

    /** Blocks the calling thread (main) until {@link #stop()} has finished. */
    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Drains the proxy for up to the configured shutdown timeout, then stops the rest. Runs once. */
    void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            logger.info("shutting down: letting in-flight requests finish for up to {}", config.shutdownTimeout());
            try {
                porter.shutdownGracefully(config.shutdownTimeout());
            } catch (RuntimeException e) {
                logger.warn("proxy did not shut down cleanly: {}", StartupException.describe(e));
            }
            List<AutoCloseable> rest = new ArrayList<>();
            if (admin != null) {
                rest.add(admin);
            }
            rest.add(adminTasks::shutdownNow);
            rest.addAll(reversed(extras));
            closeAll(rest);
            logger.info("stopped");
        } finally {
            stopped.countDown();
        }
    }

    private static List<AutoCloseable> reversed(List<AutoCloseable> list) {
        List<AutoCloseable> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                logger.warn("error while stopping: {}", StartupException.describe(e));
            }
        }
    }
}

package dev.porter.server;

import dev.porter.Porter;
import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import dev.porter.testing.RawHttp;
import dev.porter.testing.TomcatBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Graceful shutdown and reload while load runs through Porter: no request Porter accepted fails. */
class ShutdownAndReloadIT {

    private static String config(String upstream, int port) {
        return "porter {\n workers = 2\n listeners = [ { address = \"127.0.0.1:" + port + "\" } ]\n"
                + " upstreams { app { servers = [ { address = \"" + upstream + "\" } ] } }\n"
                + " routes = [ { path-prefix = \"/\", upstream = app } ]\n admin.enabled = false\n}\n";
    }

    /** Counts of what clients saw. */
    private static final class Tally {
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger notAccepted = new AtomicInteger();
        final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    }

    /**
     * One client: keepalive requests until told to stop. A connection Porter closed before
     * reading the request (EOF with no response byte, or refused) is "not accepted": the
     * client reconnects. Anything else that is not a complete 200 is a failure.
     */
    private static void client(InetSocketAddress address, String path, AtomicBoolean stop, Tally tally) {
        RawHttp c = null;
        while (!stop.get()) {
            try {
                if (c == null) {
                    c = new RawHttp(address);
                }
                long before = c.received();
                RawHttp.Response r;
                try {
                    c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
                    r = c.read();
                } catch (IOException e) {
                    if (c.received() == before) {
                        // Porter closed the idle connection before reading this request (a reset
                        // when the request was already in its receive buffer): never accepted.
                        tally.notAccepted.incrementAndGet();
                        c.close();
                        c = null;
                        continue;
                    }
                    throw e;
                }
                if (r.status == 200) {
                    tally.ok.incrementAndGet();
                } else {
                    tally.failed.incrementAndGet();
                    tally.failures.add("status " + r.status);
                }
                if ("close".equals(r.header("connection"))) {
                    c.close();
                    c = null;
                }
            } catch (java.net.ConnectException refused) {
                tally.notAccepted.incrementAndGet();
                c = null;
                sleep(5);
            } catch (IOException e) {
                tally.failed.incrementAndGet();
                tally.failures.add(e.toString());
                c = null;
            }
        }
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // done anyway
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shutdownUnderLoadLetsAcceptedRequestsFinish() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start()) {
            Porter porter = Porter.start(ConfigLoader.parse(config(tomcat.address(), 0), "test.conf"));
            InetSocketAddress address = porter.listenAddresses().get(0);
            AtomicBoolean stop = new AtomicBoolean();
            Tally tally = new Tally();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clients.add(pool.submit(() -> client(address, "/slow?ms=50", stop, tally)));
            }
            Thread.sleep(1000);
            int before = tally.ok.get();
            porter.shutdownGracefully(Duration.ofSeconds(10));
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(20, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            assertThat(before).isGreaterThan(20);
            assertThat(tally.failures).isEmpty();
            assertThat(tally.failed.get()).isZero();
            assertThat(tally.ok.get()).isGreaterThan(before);
        }
    }

    @Test
    void reloadUnderLoadMovesNewRequestsToTheNewUpstreamWithoutDroppingAnything() throws Exception {
        try (TomcatBackend a = TomcatBackend.start(); TomcatBackend b = TomcatBackend.start()) {
            Porter porter = Porter.start(ConfigLoader.parse(config(a.address(), 0), "test.conf"));
            try {
                InetSocketAddress address = porter.listenAddresses().get(0);
                AtomicBoolean stop = new AtomicBoolean();
                Tally tally = new Tally();
                ExecutorService pool = Executors.newFixedThreadPool(6);
                List<Future<?>> clients = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    clients.add(pool.submit(() -> client(address, "/slow?ms=20", stop, tally)));
                }
                Thread.sleep(700);
                ProxyConfig next = ConfigLoader.parse(config(b.address(), 0), "reloaded.conf");
                porter.reload(next).get(5, TimeUnit.SECONDS);
                int atReload = b.requests();
                Thread.sleep(700);
                stop.set(true);
                for (Future<?> f : clients) {
                    f.get(20, TimeUnit.SECONDS);
                }
                pool.shutdownNow();
                assertThat(tally.failures).isEmpty();
                assertThat(tally.notAccepted.get()).as("no client connection dropped").isZero();
                assertThat(a.requests()).isGreaterThan(10);
                assertThat(b.requests()).isGreaterThan(atReload + 10);
                int aAfter = a.requests();
                try (RawHttp c = new RawHttp(address)) {
                    assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(200);
                }
                assertThat(a.requests()).isEqualTo(aAfter);
            } finally {
                porter.close();
            }
        }
    }

    @Test
    void reloadThatChangesListenersIsRefusedAndTheOldConfigKeepsRunning() throws Exception {
        try (TomcatBackend a = TomcatBackend.start()) {
            Porter porter = Porter.start(ConfigLoader.parse(config(a.address(), 0), "test.conf"));
            try {
                ProxyConfig other = ConfigLoader.parse(config(a.address(), 1), "reloaded.conf");
                assertThat(porter.reload(other)).isCompletedExceptionally();
                try (RawHttp c = new RawHttp(porter.listenAddresses().get(0))) {
                    assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(200);
                }
            } finally {
                porter.close();
            }
        }
    }
}

package dev.porter.server;

import dev.porter.metrics.ServerSnapshot;
import dev.porter.tcp.ProcNetTcp;
import dev.porter.tcp.TcpSocket;
import dev.porter.tcp.TcpState;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server's max-conns holds across workers: requests beyond it wait in the queue and are all
 * served, and the server never holds more connections from Porter than the cap.
 */
class MaxConnsIT {

    @Test
    void fortyConcurrentSlowRequestsThroughTwoWorkersAllSucceedOnFourConnections() throws Exception {
        AtomicInteger inService = new AtomicInteger();
        AtomicInteger mostInService = new AtomicInteger();
        ScriptedUpstream.Script slow = (conn, index) -> {
            while (conn.readRequest() != null) {
                mostInService.accumulateAndGet(inService.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(50); // a slow servlet: requests pile up behind the cap
                } catch (InterruptedException e) {
                    return;
                }
                inService.decrementAndGet();
                conn.ok("slow");
            }
        };
        ExecutorService clients = Executors.newFixedThreadPool(40);
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger mostEstablished = new AtomicInteger();
        try (ScriptedUpstream upstream = new ScriptedUpstream(slow);
             PorterFixture p = PorterFixture.start(2, new String[] {upstream.address()},
                     "queue = 64, queue-timeout = 60s", "", "server-defaults.max-conns = 4")) {
            int port = Integer.parseInt(upstream.address().substring(upstream.address().indexOf(':') + 1));
            // Sockets toward this port number left over from earlier tests (another listener had
            // the port number before) are not this test's.
            java.util.Set<java.net.InetSocketAddress> earlier = new java.util.HashSet<>();
            for (TcpSocket s : ProcNetTcp.read()) {
                if (s.remote().getPort() == port) {
                    earlier.add(s.local());
                }
            }
            // The proxy side's ESTABLISHED sockets toward the server, as the kernel sees them.
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    try {
                        int established = 0;
                        for (TcpSocket s : ProcNetTcp.read()) {
                            if (s.state() == TcpState.ESTABLISHED && s.remote().getPort() == port
                                    && !earlier.contains(s.local())) {
                                established++;
                            }
                        }
                        mostEstablished.accumulateAndGet(established, Math::max);
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            sampler.start();
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(clients.submit(() -> {
                    try (RawHttp c = p.connect()) {
                        return c.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n").read().status;
                    }
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get(2, TimeUnit.MINUTES)).isEqualTo(200);
            }
            sampling.set(false);
            sampler.join();

            assertThat(upstream.requests()).hasSize(40);
            assertThat(mostInService.get()).isEqualTo(4);
            assertThat(mostEstablished.get()).isBetween(1, 4);
            ServerSnapshot s = p.status().servers().get(0);
            assertThat(s.maxConns()).isEqualTo(4);
            assertThat(s.open()).isBetween(1, 4);
            assertThat(s.queued()).isZero();
        } finally {
            sampling.set(false);
            clients.shutdownNow();
        }
    }

    @Test
    void aRequestThatCannotGetAConnectionWithinQueueTimeoutGets503() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ScriptedUpstream.Script stuck = (conn, index) -> {
            while (conn.readRequest() != null) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                conn.ok("late");
            }
        };
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (ScriptedUpstream upstream = new ScriptedUpstream(stuck);
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()},
                     "queue = 8, queue-timeout = 200ms", "", "server-defaults.max-conns = 1")) {
            Future<Integer> first = clients.submit(() -> {
                try (RawHttp c = p.connect()) {
                    return c.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n").read().status;
                }
            });
            org.awaitility.Awaitility.await().until(() -> upstream.requests().size() == 1);
            try (RawHttp c = p.connect()) {
                RawHttp.Response r = c.send("GET /b HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertThat(r.status).isEqualTo(503);
            }
            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(upstream.requests()).hasSize(1);
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }
}

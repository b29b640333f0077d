package dev.porter.upstream;

import dev.porter.close.CloseReason;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.tcp.ProcNetTcp;
import dev.porter.tcp.TcpSocket;
import dev.porter.tcp.TcpState;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.TomcatBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Churn against a real Tomcat that ends connections on its own (maxKeepAliveRequests = 7),
 * then a check that Porter's books match the kernel's: once load stops and the pools settle,
 * the pooled connections /status reports toward the server (idle, active and closing) are exactly the
 * ESTABLISHED sockets from Porter to it. A connection counted idle but already closed, or
 * open but forgotten by its pool, shows up as a difference that never goes away.
 */
class PoolCensusSoakIT {
    private static final int CLIENTS = 6;
    private static final int REQUESTS_PER_CLIENT = 250;
    private static final long LOAD_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(15);

    @Test
    void afterChurnThePoolsIdleConnectionsAreTheKernelsEstablishedSocketsTowardTheServer() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start(30_000, 7);
             PorterFixture porter = PorterFixture.start(2, new String[] {tomcat.address()},
                     "keepalive = 4\n keepalive-timeout = 60s", "", "server-defaults.max-fails = 0")) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<Integer>> clients = new ArrayList<>();
            long deadline = System.nanoTime() + LOAD_BUDGET_NANOS;
            for (int c = 0; c < CLIENTS; c++) {
                int seed = c;
                clients.add(pool.submit(() -> load(porter, seed, deadline)));
            }
            int served = 0;
            for (Future<Integer> f : clients) {
                served += f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            assertThat(served).isGreaterThan(CLIENTS * 20);

            InetSocketAddress server = new InetSocketAddress("127.0.0.1", tomcat.port());
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .alias("pooled connections (idle + active + closing) per /status = ESTABLISHED sockets toward the server")
                    .until(() -> pooled(porter) == established(server) && active(porter) == 0);
            int idle = pooled(porter);
            assertThat(idle).as("connections kept warm after the run").isBetween(1, 4 * 2);
            long tomcatCloses = porter.status().pools().stream().mapToLong(p -> p.closedReason().get(CloseReason.UPSTREAM_CLOSE)).sum();
            assertThat(tomcatCloses).as("Tomcat ended connections during the run").isGreaterThan(served / 7 / 2);
        }
    }

    /** Sequential keepalive requests until the count or the time budget runs out; returns the 200s. */
    private static int load(PorterFixture porter, int seed, long deadline) throws IOException {
        int ok = 0;
        RawHttp c = porter.connect();
        try {
            for (int i = 0; i < REQUESTS_PER_CLIENT && System.nanoTime() < deadline; i++) {
                // Every so often a client leaves: its connection closes, the upstream one must not.
                boolean last = (i + seed) % 50 == 49;
                String request = i % 5 == 0
                        ? "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n" + (last ? "Connection: close\r\n" : "") + "\r\nhello"
                        : "GET /hello HTTP/1.1\r\nHost: t\r\n" + (last ? "Connection: close\r\n" : "") + "\r\n";
                RawHttp.Response r = c.send(request).read();
                assertThat(r.status).isEqualTo(200);
                ok++;
                if (last) {
                    c.close();
                    c = porter.connect();
                }
            }
        } finally {
            c.close();
        }
        return ok;
    }

    private static int pooled(PorterFixture porter) {
        return porter.status().pools().stream().mapToInt(p -> p.idle() + p.active() + p.closing()).sum();
    }

    private static int active(PorterFixture porter) {
        return porter.status().pools().stream().mapToInt(PoolSnapshot::active).sum();
    }

    private static int established(InetSocketAddress server) {
        try {
            int n = 0;
            for (TcpSocket s : ProcNetTcp.read()) {
                if (s.state() == TcpState.ESTABLISHED && s.remote().equals(server)) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

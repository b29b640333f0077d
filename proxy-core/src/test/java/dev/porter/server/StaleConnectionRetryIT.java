package dev.porter.server;

import dev.porter.metrics.PoolSnapshot;
import dev.porter.testing.KernelSockets;
import dev.porter.testing.OneLoopPorter;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keepalive race, one deterministic case each: a request that meets a pooled connection
 * the upstream has just closed is sent once more on a fresh connection when that is safe
 * (idempotent, or not written at all), never when a non-idempotent request was sent, and at
 * most once per request.
 */
class StaleConnectionRetryIT {
    private static final String NO_HEALTH = "server-defaults.max-fails = 0";

    /** Connection 0 answers one request, then reads the next and closes unanswered; later connections answer. */
    private static final ScriptedUpstream.Script FIRST_CONNECTION_DIES_AFTER_ONE = (conn, index) -> {
        if (index == 0) {
            if (conn.readRequest() != null) {
                conn.ok("first");
            }
            conn.readRequest();
            return;
        }
        while (conn.readRequest() != null) {
            conn.ok("fresh" + index);
        }
    };

    /** Connection 0 answers one request, then reads the next and closes; every later connection reads and closes. */
    private static final ScriptedUpstream.Script EVERY_CONNECTION_DIES = (conn, index) -> {
        if (index == 0 && conn.readRequest() != null) {
            conn.ok("first");
        }
        conn.readRequest();
    };

    private static long count(ScriptedUpstream upstream, String requestLineStart) {
        return upstream.requests().stream().filter(r -> r.startsWith(requestLineStart)).count();
    }

    private static long staleRetries(List<PoolSnapshot> pools) {
        return pools.stream().mapToLong(PoolSnapshot::staleRetries).sum();
    }

    @Test
    void aGetOnAReusedConnectionTheUpstreamClosedIsRetriedOnceOnAFreshConnection() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(FIRST_CONNECTION_DIES_AFTER_ONE);
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "", NO_HEALTH);
             RawHttp c = p.connect()) {
            assertThat(c.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("first");

            RawHttp.Response r = c.send("GET /b HTTP/1.1\r\nHost: t\r\n\r\n").read();

            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("fresh1");
            assertThat(count(upstream, "GET /b ")).as("on the dead connection, then on a fresh one").isEqualTo(2);
            assertThat(upstream.connections()).isEqualTo(2);
            assertThat(staleRetries(p.status().pools())).isEqualTo(1);
        }
    }

    @Test
    void aPostThatWasSentIsNeverRetried() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(FIRST_CONNECTION_DIES_AFTER_ONE);
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "", NO_HEALTH);
             RawHttp c = p.connect()) {
            assertThat(c.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("first");

            RawHttp.Response r = c.send("POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx").read();

            assertThat(r.status).isEqualTo(502);
            assertThat(count(upstream, "POST /b ")).as("the upstream may have acted on it: never twice").isEqualTo(1);
            assertThat(upstream.connections()).isEqualTo(1);
            assertThat(staleRetries(p.status().pools())).isZero();
        }
    }

    /**
     * The request must reach Porter's socket before the reset reaches its pooled connection,
     * and Porter must read both in one batch: its event loop is held meanwhile, and the
     * kernel's tables say when each has arrived. Linux's epoll does not always report the two
     * in arrival order, so the case is set up again (a new pooled connection each time) until
     * Porter has met the dead connection with the request in hand three times; every round,
     * whichever came first, must end in one 200 and exactly one POST at the upstream.
     */
    @Test
    void aPostNotYetWrittenWhenItsConnectionDiedIsRetriedOnceOnAFreshConnection() throws Exception {
        BlockingQueue<Armed> armed = new LinkedBlockingQueue<>();
        // A GET /warm arms its connection: answered, then reset on command. Anything else is answered.
        ScriptedUpstream.Script script = (conn, index) -> {
            for (String head = conn.readRequest(); head != null; head = conn.readRequest()) {
                if (head.startsWith("GET /warm")) {
                    conn.ok("warm");
                    Armed a = new Armed(conn.socket().getPort(), new CountDownLatch(1));
                    armed.add(a);
                    await(a.reset);
                    conn.reset();
                    return;
                }
                conn.ok("posted");
            }
        };
        try (ScriptedUpstream upstream = new ScriptedUpstream(script);
             OneLoopPorter p = OneLoopPorter.start(PorterFixture.config(1, new String[] {upstream.address()}, "", "", NO_HEALTH));
             RawHttp c = p.connect()) {
            int upstreamPort = Integer.parseInt(upstream.address().substring(upstream.address().indexOf(':') + 1));
            int rounds = 0;
            long retried = 0;
            while (retried < 3 && rounds < 30) {
                rounds++;
                assertThat(c.send("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("warm");
                Armed pooled = armed.poll(10, TimeUnit.SECONDS);
                String post = "POST /p" + rounds + " HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody";
                OneLoopPorter.Hold hold = p.hold();
                try {
                    c.send(post);
                    awaitKernel(() -> KernelSockets.receiveQueue(p.address().getPort(), c.socket().getLocalPort()) == post.length());
                    pooled.reset.countDown();
                    awaitKernel(() -> !KernelSockets.established(pooled.porterPort, upstreamPort));
                } finally {
                    hold.close();
                }
                RawHttp.Response r = c.read();

                assertThat(r.status).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("posted");
                assertThat(count(upstream, "POST /p" + rounds + " ")).as("the POST reached the upstream once").isEqualTo(1);
                retried = staleRetries(p.pools());
            }
            assertThat(retried).as("rounds in which Porter met the reset connection with the POST in hand, of " + rounds)
                    .isEqualTo(3);
        }
    }

    /** A pooled connection that the upstream resets when told to. */
    private record Armed(int porterPort, CountDownLatch reset) {
    }

    @Test
    void aFreshConnectionThatFailsTooIsNotRetriedAgain() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(EVERY_CONNECTION_DIES);
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "", NO_HEALTH);
             RawHttp c = p.connect()) {
            assertThat(c.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("first");

            RawHttp.Response r = c.send("GET /b HTTP/1.1\r\nHost: t\r\n\r\n").read();

            assertThat(r.status).isEqualTo(502);
            assertThat(count(upstream, "GET /b ")).isEqualTo(2);
            assertThat(upstream.connections()).isEqualTo(2);
            assertThat(staleRetries(p.status().pools())).isEqualTo(1);
        }
    }

    @Test
    void theKeepaliveRaceIsRetriedOncePerRequestNotOncePerServer() throws Exception {
        try (ScriptedUpstream a = new ScriptedUpstream(EVERY_CONNECTION_DIES);
             ScriptedUpstream b = new ScriptedUpstream(EVERY_CONNECTION_DIES);
             PorterFixture p = PorterFixture.start(1, new String[] {a.address(), b.address()},
                     "next-upstream-tries = 3", "", NO_HEALTH);
             RawHttp c = p.connect()) {
            // Round-robin warms one pooled connection on each server: a, then b.
            assertThat(c.send("GET /w1 HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("first");
            assertThat(c.send("GET /w2 HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("first");
            assertThat(count(a, "GET /w1 ")).isEqualTo(1);

            // a's pooled connection dies: retried fresh on a, which dies too; next-upstream passes
            // it to b, whose pooled connection dies as well: no second fresh retry, 502.
            RawHttp.Response r = c.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n").read();

            assertThat(r.status).isEqualTo(502);
            assertThat(count(a, "GET /x ")).isEqualTo(2);
            assertThat(count(b, "GET /x ")).isEqualTo(1);
            assertThat(b.connections()).isEqualTo(1);
            assertThat(staleRetries(p.status().pools())).isEqualTo(1);
        }
    }

    private static void awaitKernel(Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(condition);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.porter.server;

import dev.porter.close.CloseReason;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import dev.porter.testing.TomcatBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upstream failures get the right status, and the pool stays healthy afterwards. */
class UpstreamFaultsIT {
    private static WireMockServer wiremock;
    private static PorterFixture porter;

    @BeforeAll
    static void start() {
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .useChunkedTransferEncoding(com.github.tomakehurst.wiremock.core.Options.ChunkedEncodingPolicy.ALWAYS)
                .notifier(new Slf4jNotifier(false)));
        wiremock.start();
        wiremock.stubFor(get(urlEqualTo("/ok")).willReturn(aResponse().withStatus(200).withBody("fine")));
        wiremock.stubFor(get(urlEqualTo("/reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wiremock.stubFor(get(urlEqualTo("/empty")).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        wiremock.stubFor(get(urlEqualTo("/garbage")).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        wiremock.stubFor(get(urlEqualTo("/bad-chunk")).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        porter = PorterFixture.start(1, new String[] {"127.0.0.1:" + wiremock.port()}, "read-timeout = 1500ms", "",
                "server-defaults.max-fails = 0");
        // WireMock's first request takes over a second (class loading): longer than the read
        // timeout, which would turn the first fault test into a 504.
        for (String path : new String[] {"/ok", "/reset", "/empty"}) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", wiremock.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: w\r\nConnection: close\r\n\r\n").getBytes());
                s.getInputStream().readAllBytes();
            } catch (java.io.IOException expected) {
                // the fault stubs reset or close
            }
        }
    }

    @AfterAll
    static void stop() {
        porter.close();
        wiremock.stop();
    }

    private static RawHttp.Response fetch(String path) throws IOException {
        try (RawHttp c = porter.connect()) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
        }
    }

    private static void poolStillServes() throws IOException {
        RawHttp.Response ok = fetch("/ok");
        assertThat(ok.status).isEqualTo(200);
        assertThat(ok.bodyText()).isEqualTo("fine");
    }

    @Test
    void connectionResetGets502() throws IOException {
        assertThat(fetch("/reset").status).isEqualTo(502);
        poolStillServes();
    }

    @Test
    void emptyResponseGets502() throws IOException {
        assertThat(fetch("/empty").status).isEqualTo(502);
        poolStillServes();
    }

    @Test
    void garbageInsteadOfAResponseGets502() throws IOException {
        assertThat(fetch("/garbage").status).isEqualTo(502);
        poolStillServes();
    }

    @Test
    void malformedChunkCutsTheClientConnectionInsteadOfFakingACompleteResponse() throws IOException {
        try (RawHttp c = porter.connect()) {
            c.send("GET /bad-chunk HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThatThrownBy(c::read).isInstanceOfAny(EOFException.class, NumberFormatException.class, IOException.class);
        }
        poolStillServes();
    }

    @Test
    void upstreamSlowerThanReadTimeoutGets504() throws IOException {
        // A WireMock of its own: its sleeping request must not hold up the other fault tests.
        WireMockServer slow = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .notifier(new Slf4jNotifier(false)));
        slow.start();
        slow.stubFor(get(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(3000)));
        try (PorterFixture p = PorterFixture.start(1, new String[] {"127.0.0.1:" + slow.port()}, "read-timeout = 500ms", "",
                "server-defaults.max-fails = 0");
             RawHttp c = p.connect()) {
            RawHttp.Response r = c.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n").read();
            // Porter's own 504, not the late answer; the request was sent once, not retried.
            assertThat(r.status).isEqualTo(504);
            assertThat(r.bodyText()).doesNotContain("late");
            assertThat(p.status().pools().get(0).requests()).isEqualTo(1);
            // Counted once the upstream socket is closed, which io_uring completes after the 504 is written.
            org.awaitility.Awaitility.await().untilAsserted(() ->
                    assertThat(p.status().pools().get(0).closedReason().get(CloseReason.TIMEOUT)).isEqualTo(1));
        } finally {
            slow.stop();
        }
        poolStillServes();
    }

    @Test
    void connectRefusedGets502AndWhenEveryServerIsDownTheNextRequestFailsWithoutConnecting() throws Exception {
        int dead1;
        int dead2;
        try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
            dead1 = s1.getLocalPort();
            dead2 = s2.getLocalPort();
        }
        try (PorterFixture p = PorterFixture.start(1, new String[] {"127.0.0.1:" + dead1, "127.0.0.1:" + dead2}, "", "");
             RawHttp c = p.connect()) {
            // Both servers refuse (next-upstream error tries the second): 502, both marked failed.
            assertThat(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(502);
            assertThat(p.status().pools()).allSatisfy(pool ->
                    assertThat(pool.connectErrors()).containsEntry("ECONNREFUSED", 1L));
            // Every server is out for fail-timeout: the next request gets 502 at once, without a connect.
            assertThat(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(502);
            assertThat(p.status().pools()).allSatisfy(pool ->
                    assertThat(pool.connectErrors()).containsEntry("ECONNREFUSED", 1L));
        }
    }

    @Test
    void aLoneServerThatRefusesIsTriedAgainForEveryRequest() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (PorterFixture p = PorterFixture.start(1, "127.0.0.1:" + dead, "");
             RawHttp c = p.connect()) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(502);
            assertThat(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(502);
            assertThat(p.status().pools().get(0).connectErrors()).containsEntry("ECONNREFUSED", 2L);
        }
    }

    @Test
    void connectFailureTriesTheNextServer() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture p = PorterFixture.start(1, new String[] {"127.0.0.1:" + dead, tomcat.address()}, "", "");
             RawHttp c = p.connect()) {
            for (int i = 0; i < 6; i++) {
                assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(200);
            }
        }
    }

    @Test
    void idempotentRequestOnAConnectionTheUpstreamClosedIsRetriedOnAFreshOneButPostIsNot() throws Exception {
        // Each connection answers one request, then reads the next and closes without answering:
        // the keepalive race, made deterministic.
        ScriptedUpstream.Script script = (conn, index) -> {
            if (conn.readRequest() != null) {
                conn.ok("ok" + index);
            }
            conn.readRequest();
        };
        try (ScriptedUpstream upstream = new ScriptedUpstream(script);
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "", "server-defaults.max-fails = 0");
             RawHttp c = p.connect()) {
            assertThat(c.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("ok0");
            RawHttp.Response retried = c.send("GET /b HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(retried.status).isEqualTo(200);
            assertThat(retried.bodyText()).isEqualTo("ok1");
            assertThat(p.status().pools().get(0).staleRetries()).isEqualTo(1);

            RawHttp.Response post = c.send("POST /c HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx").read();
            assertThat(post.status).isEqualTo(502);
            long posts = upstream.requests().stream().filter(r -> r.startsWith("POST")).count();
            assertThat(posts).as("a sent POST is never replayed").isEqualTo(1);
        }
    }

    /**
     * Answers 401 as soon as it has a request head, without waiting for the body (an early 401 or
     * 413); what each connection received goes into {@code received}.
     */
    private static ScriptedUpstream.Script answersAtTheHead(List<StringBuilder> received) {
        return (conn, index) -> {
            StringBuilder got = new StringBuilder();
            received.add(got);
            InputStream in = conn.socket().getInputStream();
            int last4 = 0;
            int b;
            while ((b = in.read()) != -1) {
                got.append((char) b);
                last4 = (last4 << 8) | b;
                if (last4 == 0x0d0a0d0a) {
                    conn.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 6\r\n\r\ndenied");
                    last4 = 0;
                }
            }
        };
    }

    @Test
    void aClientAnsweredBeforeItsSmallBodyArrivedKeepsItsConnectionAndTheBodyIsDropped() throws Exception {
        // The response's head goes out keep-alive before anyone knows whether the body will come
        // in time; the small rest that comes after the response is read and dropped, and the
        // connection serves the next request as promised (a client with Nagle's algorithm on
        // sends its body only once the head is acknowledged).
        List<StringBuilder> received = new CopyOnWriteArrayList<>();
        try (ScriptedUpstream upstream = new ScriptedUpstream(answersAtTheHead(received));
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "",
                     "server-defaults.max-fails = 0");
             RawHttp c = p.connect()) {
            RawHttp.Response early = c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n").read();
            assertThat(early.status).isEqualTo(401);
            assertThat(early.header("connection")).isNull();

            RawHttp.Response next = c.send("hello" + "GET /next HTTP/1.1\r\nHost: t\r\n\r\n").read();

            assertThat(next.status).isEqualTo(401);
            assertThat(next.bodyText()).isEqualTo("denied");
            // The first upstream connection ended without the body (body-not-sent); the next request took another.
            assertThat(received).hasSize(2);
            assertThat(received.get(1).toString()).as("the dropped body never reaches an upstream").startsWith("GET /next ");
            assertThat(String.join("", received)).doesNotContain("hello");
        }
    }

    @Test
    void aClientAnsweredBeforeItsLargeBodyArrivedKeepsItsConnectionOnceTheRestIsDropped() throws Exception {
        // A client that writes its whole body before it reads (most blocking clients) must not be
        // reset mid-upload; the response said keep-alive, so the rest is read and dropped
        // whatever its size (as nginx does) and the connection serves the next request.
        List<StringBuilder> received = new CopyOnWriteArrayList<>();
        try (ScriptedUpstream upstream = new ScriptedUpstream(answersAtTheHead(received));
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "",
                     "server-defaults.max-fails = 0");
             RawHttp c = p.connect()) {
            int size = 1_000_000;
            RawHttp.Response early = c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + size + "\r\n\r\n").read();
            assertThat(early.status).isEqualTo(401);
            assertThat(early.header("connection")).isNull();

            c.send("q".repeat(size) + "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
            RawHttp.Response next = c.read();

            assertThat(next.status).isEqualTo(401);
            assertThat(next.bodyText()).isEqualTo("denied");
            assertThat(received).hasSize(2);
            assertThat(received.get(1).toString()).as("the dropped body never reaches an upstream").startsWith("GET /next ");
            assertThat(String.join("", received)).doesNotContain("qqqq");
        }
    }

    @Test
    void aClientAnsweredBeforeItsChunkedBodyEndedKeepsItsConnectionOnceTheRestIsDropped() throws Exception {
        List<StringBuilder> received = new CopyOnWriteArrayList<>();
        try (ScriptedUpstream upstream = new ScriptedUpstream(answersAtTheHead(received));
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "",
                     "server-defaults.max-fails = 0");
             RawHttp c = p.connect()) {
            RawHttp.Response early = c.send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n").read();
            assertThat(early.status).isEqualTo(401);
            assertThat(early.header("connection")).isNull();

            StringBuilder rest = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                rest.append("2000\r\n").append("q".repeat(0x2000)).append("\r\n");
            }
            c.send(rest + "0\r\n\r\n" + "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
            RawHttp.Response next = c.read();

            assertThat(next.status).isEqualTo(401);
            assertThat(received).hasSize(2);
            assertThat(received.get(1).toString()).startsWith("GET /next ");
            assertThat(String.join("", received)).doesNotContain("qqqq");
        }
    }

    @Test
    void aShutdownThatBeginsWhileAnAnsweredBodyIsDroppedClosesTheConnectionOnceTheRestIsIn() throws Exception {
        // A connection dropping the rest of an early-answered body is neither idle nor serving
        // when shutdown begins; once the rest is in it must close, not wait for a next request
        // until shutdown-timeout.
        try (ScriptedUpstream upstream = new ScriptedUpstream(answersAtTheHead(new CopyOnWriteArrayList<>()));
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "",
                     "server-defaults.max-fails = 0");
             RawHttp draining = p.connect();
             RawHttp idle = p.connect()) {
            int size = 100_000;
            assertThat(draining.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + size + "\r\n\r\n")
                    .read().status).isEqualTo(401);
            assertThat(idle.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(401);

            Thread shutdown = new Thread(() -> p.porter().shutdownGracefully(Duration.ofSeconds(60)));
            shutdown.start();
            // The idle connection closes when the worker begins its shutdown (one worker: the same loop).
            assertThat(idle.isClosedByPeer()).isTrue();

            draining.send("q".repeat(size));

            assertThat(draining.isClosedByPeer()).as("closed once the rest is in, not at shutdown-timeout").isTrue();
            shutdown.join(20_000);
            assertThat(shutdown.isAlive()).isFalse();
        }
    }

    @Test
    void theRestOfAnAnsweredBodyThatStopsComingEndsTheConnectionAfterClientBodyTimeout() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(answersAtTheHead(new CopyOnWriteArrayList<>()));
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "",
                     "client-body-timeout = 300ms", "server-defaults.max-fails = 0");
             RawHttp c = p.connect()) {
            RawHttp.Response early = c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n").read();
            assertThat(early.status).isEqualTo(401);

            c.send("only a little of it");

            // No second response (a 408 would follow a response already sent): the connection just ends.
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void maxConnectionsCapsOpenConnectionsAndAnswers503PastTheQueue() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture p = PorterFixture.start(1, tomcat.address(), "max-connections = 1\n queue = 0")) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(pool.submit(() -> {
                    try (RawHttp c = p.connect()) {
                        return c.send("GET /slow?ms=500 HTTP/1.1\r\nHost: t\r\n\r\n").read().status;
                    }
                }));
            }
            List<Integer> got = new ArrayList<>();
            for (Future<Integer> f : statuses) {
                got.add(f.get());
            }
            pool.shutdownNow();
            assertThat(got).contains(200, 503);
            assertThat(p.status().pools().stream().mapToLong(PoolSnapshot::opened).sum()).isEqualTo(1);
        }
    }

    @Test
    void upstreamThatStopsReadingTheBodyGets504AfterSendTimeout() throws Exception {
        // Reads the head, then never reads again: the request body backs up into Porter.
        ScriptedUpstream.Script stalls = (conn, index) -> {
            conn.socket().setReceiveBufferSize(4096);
            java.io.InputStream in = conn.socket().getInputStream();
            in.read(new byte[256]);
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (ScriptedUpstream upstream = new ScriptedUpstream(stalls);
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "send-timeout = 500ms",
                     "max-body-size = 0", "server-defaults.max-fails = 0");
             RawHttp c = p.connect()) {
            int size = 32 * 1024 * 1024;
            c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + size + "\r\n\r\n");
            Thread writer = new Thread(() -> {
                try {
                    byte[] block = new byte[64 * 1024];
                    for (int sent = 0; sent < size; sent += block.length) {
                        c.send(block);
                    }
                } catch (IOException expected) {
                    // Porter gives up on the request and closes
                }
            });
            writer.setDaemon(true);
            writer.start();
            assertThat(c.read().status).isEqualTo(504);
            assertThat(upstream.connections()).isEqualTo(1);
            // Counted once the upstream socket is closed, which io_uring completes after the 504 is written.
            org.awaitility.Awaitility.await().untilAsserted(() ->
                    assertThat(p.status().pools().get(0).closedReason().get(CloseReason.TIMEOUT)).isEqualTo(1));
        }
    }

    @Test
    void upstreamResetInTheMiddleOfTheResponseClosesTheClientConnection() throws Exception {
        ScriptedUpstream.Script resetMidBody = (conn, index) -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
            conn.reset();
        };
        // The upstream's read timeout (60 s) is far beyond the client's (15 s): a client connection
        // that ends was cut because Porter saw the reset, and one that times out was left waiting.
        // Forty times: with Netty's multishot polls on io_uring, about one try in eight went unnoticed.
        try (ScriptedUpstream upstream = new ScriptedUpstream(resetMidBody);
             PorterFixture p = PorterFixture.start(1, upstream.address(), "read-timeout = 60s")) {
            for (int i = 0; i < 40; i++) {
                try (RawHttp c = p.connect()) {
                    c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
                    // The head and part of the body arrived; then the connection must be cut, never completed.
                    assertThatThrownBy(c::read).as("try %d", i).isInstanceOf(IOException.class)
                            .isNotInstanceOf(SocketTimeoutException.class);
                }
            }
        }
    }
}

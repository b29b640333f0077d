package dev.porter.server;

import dev.porter.metrics.ClientSnapshot;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.TomcatBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listener's client limits over real sockets: max-connections, max-connections-per-ip,
 * rate-per-ip, the client header and body timeouts (and slowloris), and send-timeout.
 */
class ClientLimitsIT {
    private static final String HELLO = "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";

    private static TomcatBackend tomcat;

    @BeforeAll
    static void start() {
        tomcat = TomcatBackend.start(60_000, -1);
    }

    @AfterAll
    static void stop() {
        tomcat.close();
    }

    private static PorterFixture porter(int workers, String listenerExtra) {
        return PorterFixture.start(workers, new String[] {tomcat.address()}, "", listenerExtra);
    }

    private static int openClientConnections(PorterFixture p) {
        return p.status().clients().stream().mapToInt(ClientSnapshot::open).sum();
    }

    private static void assertRefusedWith503(RawHttp c) throws IOException {
        RawHttp.Response r = c.send(HELLO).read();
        assertThat(r.status).isEqualTo(503);
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(c.isClosedByPeer()).isTrue();
    }

    private static void assertServed(RawHttp c) throws IOException {
        RawHttp.Response r = c.send(HELLO).read();
        assertThat(r.status).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("hello from tomcat\n");
    }

    @Test
    void listenerMaxConnectionsRefusesTheThirdConnectionWith503UntilOneCloses() throws Exception {
        try (PorterFixture p = porter(2, "max-connections = 2")) {
            RawHttp c1 = p.connect();
            RawHttp c2 = p.connect();
            assertServed(c1);
            assertServed(c2);
            try (RawHttp c3 = p.connect()) {
                assertRefusedWith503(c3);
            }
            // The two admitted connections are untouched by the refusal.
            assertServed(c1);
            c1.close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (RawHttp c4 = p.connect()) {
                    assertServed(c4);
                }
            });
            assertServed(c2);
            c2.close();
            // Refused connections are never counted as open ones.
            await().atMost(Duration.ofSeconds(5)).until(() -> openClientConnections(p) == 0);
        }
    }

    @Test
    void maxConnectionsPerIpRefusesTheSecondConnectionFromOneAddressButNotFromAnother() throws Exception {
        try (PorterFixture p = porter(2, "max-connections-per-ip = 1")) {
            RawHttp c1 = p.connect();
            assertServed(c1);
            try (RawHttp c2 = p.connect()) {
                assertRefusedWith503(c2);
            }
            try (RawHttp other = new RawHttp(p.address(), InetAddress.getByName("127.0.0.2"))) {
                assertServed(other);
            }
            c1.close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (RawHttp c3 = p.connect()) {
                    assertServed(c3);
                }
            });
        }
    }

    @Test
    void requestsOverRatePerIpGet429AndNeverReachTheUpstream() throws Exception {
        try (PorterFixture p = porter(2, "rate-per-ip = 5, rate-burst = 0")) {
            int before = tomcat.requests();
            int ok = 0;
            int tooMany = 0;
            for (int i = 0; i < 20; i++) {
                try (RawHttp c = p.connect()) {
                    // Every other one carries a body, which must be dropped with the request.
                    String request = i % 2 == 0 ? HELLO
                            : "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";
                    RawHttp.Response r = c.send(request).read();
                    if (r.status == 429) {
                        tooMany++;
                        assertThat(r.header("connection")).isEqualTo("close");
                        assertThat(r.header("retry-after")).isEqualTo("1");
                        assertThat(c.isClosedByPeer()).isTrue();
                    } else {
                        assertThat(r.status).isEqualTo(200);
                        ok++;
                    }
                }
            }
            assertThat(tooMany).isPositive();
            assertThat(ok).isPositive();
            assertThat(ok + tooMany).isEqualTo(20);
            assertThat(tomcat.requests() - before).isEqualTo(ok);
            assertThat(p.status().clients().stream().mapToLong(ClientSnapshot::responses4xx).sum()).isEqualTo(tooMany);
        }
    }

    @Test
    void rateBurstAdmitsABurstThenRefusesOnOneKeepaliveConnection() throws Exception {
        try (PorterFixture p = porter(1, "rate-per-ip = 1, rate-burst = 3")) {
            int before = tomcat.requests();
            try (RawHttp c = p.connect()) {
                for (int i = 0; i < 4; i++) {
                    assertServed(c);
                }
                RawHttp.Response r = c.send(HELLO).read();
                assertThat(r.status).isEqualTo(429);
                assertThat(c.isClosedByPeer()).isTrue();
            }
            assertThat(tomcat.requests() - before).isEqualTo(4);
        }
    }

    @Test
    void aClientThatSendsHalfAHeaderGets408AfterClientHeaderTimeout() throws Exception {
        try (PorterFixture p = porter(1, "client-header-timeout = 300ms");
             RawHttp c = p.connect()) {
            int before = tomcat.requests();
            RawHttp.Response r = c.send("GET /hello HTTP/1.1\r\nHo").read();
            assertThat(r.status).isEqualTo(408);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer()).isTrue();
            assertThat(tomcat.requests()).isEqualTo(before);
        }
    }

    @Test
    void aStalledRequestBodyGets408AfterClientBodyTimeout() throws Exception {
        try (PorterFixture p = porter(1, "client-body-timeout = 300ms");
             RawHttp c = p.connect()) {
            RawHttp.Response r = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc").read();
            assertThat(r.status).isEqualTo(408);
            assertThat(c.isClosedByPeer()).isTrue();
            // The upstream connection that got the head and part of the body is given up, never reused.
            await().atMost(Duration.ofSeconds(5)).until(() -> p.status().pools().get(0).idle() == 0
                    && p.status().pools().get(0).active() == 0);
        }
    }

    @Test
    void slowlorisConnectionsDoNotStarveANormalClientAndAreCutByClientHeaderTimeout() throws Exception {
        int slow = 50;
        try (PorterFixture p = porter(1, "client-header-timeout = 3s")) {
            try (RawHttp warmUp = p.connect()) {
                assertServed(warmUp); // the first request through a fresh Tomcat is slow
            }
            byte[] header = "GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .getBytes(StandardCharsets.US_ASCII);
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < slow; i++) {
                Socket s = new Socket();
                s.connect(p.address(), 5000);
                s.setSoTimeout(10_000);
                sockets.add(s);
            }
            boolean[] cut = new boolean[slow];
            Thread drip = new Thread(() -> {
                for (int b = 0; b < header.length; b++) {
                    for (int i = 0; i < slow; i++) {
                        if (cut[i]) {
                            continue;
                        }
                        try {
                            if (sockets.get(i).getInputStream().available() > 0) {
                                cut[i] = true; // Porter answered: stop sending
                                continue;
                            }
                            OutputStream out = sockets.get(i).getOutputStream();
                            out.write(header[b]);
                            out.flush();
                        } catch (IOException e) {
                            cut[i] = true;
                        }
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "slowloris");
            drip.start();
            try {
                // While all 50 drip, a normal client is served, again and again: each answer comes
                // while every slow connection is still open and none has been answered yet.
                await().atMost(Duration.ofSeconds(5)).until(() -> openClientConnections(p) == slow);
                int before = tomcat.requests();
                for (int i = 0; i < 5; i++) {
                    try (RawHttp c = p.connect()) {
                        assertServed(c);
                    }
                    if (i == 0) {
                        assertThat(p.status().clients().get(0).responses4xx()).as("slow connections answered so far")
                                .isZero();
                        assertThat(openClientConnections(p)).as("slow connections still open").isGreaterThanOrEqualTo(slow);
                    }
                }
                assertThat(tomcat.requests() - before).isEqualTo(5);
                // Each slow connection is cut by client-header-timeout: 408, then closed.
                int answered408 = 0;
                for (Socket s : sockets) {
                    String head = readAll(s.getInputStream());
                    if (head.startsWith("HTTP/1.1 408 ")) {
                        answered408++;
                    } else {
                        assertThat(head).as("a slow connection ends, at worst reset").isEmpty();
                    }
                }
                assertThat(answered408).isGreaterThan(slow * 9 / 10);
                assertThat(p.status().clients().get(0).responses4xx()).isEqualTo(slow);
                await().atMost(Duration.ofSeconds(5)).until(() -> openClientConnections(p) == 0);
            } finally {
                drip.interrupt();
                drip.join();
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    /** Everything until the peer closes; what was read before a reset is kept. */
    private static String readAll(InputStream in) {
        StringBuilder sb = new StringBuilder();
        try {
            for (int b = in.read(); b != -1; b = in.read()) {
                sb.append((char) b);
            }
        } catch (IOException reset) {
            // the connection was cut
        }
        return sb.toString();
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAfterSendTimeout() throws Exception {
        try (PorterFixture p = porter(1, "send-timeout = 500ms");
             Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(p.address(), 5000);
            s.getOutputStream().write("GET /bytes?n=50000000&length=1 HTTP/1.1\r\nHost: t\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> openClientConnections(p) == 1);
            // Never read: Porter's buffers fill, the response stops moving, send-timeout cuts it.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> openClientConnections(p) == 0);
            // The upstream connection serving it was given up as well: none is busy.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> p.status().pools().stream().mapToInt(pool -> pool.active()).sum() == 0);
            long received = s.getInputStream().transferTo(OutputStream.nullOutputStream());
            assertThat(received).isLessThan(50_000_000L);
        } catch (java.net.SocketException reset) {
            // Reading what was left may end in a reset: the client was cut, which is the point.
        }
    }

    @Test
    void aSlowClientThatKeepsReadingIsNotCutBySendTimeout() throws Exception {
        try (PorterFixture p = porter(1, "send-timeout = 300ms");
             Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(p.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /bytes?n=2000000&length=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[32 * 1024];
            long total = 0;
            int reads = 0;
            for (int n = in.read(buf); n != -1; n = in.read(buf)) {
                total += n;
                reads++;
                Thread.sleep(5); // about 6 MB/s at most: a pace, not a wait
            }
            // More than 60 pauses of 5 ms: the whole response took longer than send-timeout, yet it
            // was never cut, because every pause was shorter.
            assertThat(reads).isGreaterThan(60);
            assertThat(total).isGreaterThan(2_000_000L); // body plus head
        }
    }
}

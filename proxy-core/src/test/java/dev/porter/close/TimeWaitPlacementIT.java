package dev.porter.close;

import dev.porter.close.ClosedBy;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.tcp.ProcNetTcp;
import dev.porter.tcp.TcpCensus;
import dev.porter.tcp.TcpSocket;
import dev.porter.tcp.TcpState;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.TomcatBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where TIME_WAIT lands, read from the kernel (/proc/net/tcp): the side that sends the first
 * FIN holds it. Every upstream connection is retired after one request
 * ({@code keepalive-requests = 1}), so each request ends one connection.
 */
class TimeWaitPlacementIT {
    private static final int REQUESTS = 20;

    private static List<TcpSocket> sockets() throws IOException {
        return ProcNetTcp.read(Path.of("/proc/net"));
    }

    /**
     * Sockets that existed before the test began (TIME_WAIT from earlier tests lasts 60 s, and a
     * new server may be given a port that earlier sockets still name) are not this test's.
     */
    private java.util.Set<TcpSocket> before = java.util.Set.of();

    @org.junit.jupiter.api.BeforeEach
    void rememberExistingSockets() throws IOException {
        before = new java.util.HashSet<>(sockets());
    }

    /** Everything the kernel shows, as Porter's own census sees it (earlier sockets included). */
    private static long countAll(TcpState state, Predicate<TcpSocket> which) throws IOException {
        return sockets().stream().filter(s -> s.state() == state).filter(which).count();
    }

    private long count(TcpState state, Predicate<TcpSocket> which) throws IOException {
        return sockets().stream().filter(s -> s.state() == state).filter(which).filter(s -> !before.contains(s)).count();
    }

    /** Proxy side of the upstream leg: Porter's sockets toward Tomcat. */
    private static Predicate<TcpSocket> proxySide(int tomcatPort) {
        return s -> s.remote().getPort() == tomcatPort;
    }

    /** Tomcat's own sockets. */
    private static Predicate<TcpSocket> tomcatSide(int tomcatPort) {
        return s -> s.local().getPort() == tomcatPort;
    }

    private static void run(PorterFixture porter) throws IOException {
        try (RawHttp c = porter.connect()) {
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(200);
            }
        }
    }

    private static long closedBy(PorterFixture porter, ClosedBy who) {
        return porter.status().pools().stream().mapToLong(p -> p.closedBy().get(who)).sum();
    }

    @Test
    void proxyClosesFirstSoTimeWaitIsOnTheProxysSocketsTowardTomcat() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "keepalive-requests = 1\n close-initiator = proxy")) {
            run(porter);
            int port = tomcat.port();
            await().atMost(Duration.ofSeconds(5)).until(() -> count(TcpState.TIME_WAIT, proxySide(port)) >= REQUESTS);
            assertThat(count(TcpState.TIME_WAIT, tomcatSide(port))).isZero();
            assertThat(closedBy(porter, ClosedBy.PROXY)).isEqualTo(REQUESTS);
            // /status agrees with the kernel.
            TcpCensus census = porter.porter().tcpCensus();
            InetSocketAddress upstream = new InetSocketAddress("127.0.0.1", port);
            assertThat(census.upstream(upstream).proxySide().count(TcpState.TIME_WAIT))
                    .isEqualTo((int) countAll(TcpState.TIME_WAIT, proxySide(port)));
            assertThat(census.upstream(upstream).portsHeld()).isGreaterThanOrEqualTo(REQUESTS);
        }
    }

    @Test
    void upstreamClosesFirstSoTimeWaitIsOnTomcat() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "keepalive-requests = 1\n close-initiator = upstream")) {
            run(porter);
            int port = tomcat.port();
            await().atMost(Duration.ofSeconds(5)).until(() -> count(TcpState.TIME_WAIT, tomcatSide(port)) >= REQUESTS);
            assertThat(count(TcpState.TIME_WAIT, proxySide(port))).isZero();
            assertThat(closedBy(porter, ClosedBy.UPSTREAM)).isEqualTo(REQUESTS);
            assertThat(porter.porter().tcpCensus().upstream(new InetSocketAddress("127.0.0.1", port))
                    .proxySide().count(TcpState.TIME_WAIT)).isEqualTo((int) countAll(TcpState.TIME_WAIT, proxySide(port)));
        }
    }

    @Test
    void resetLeavesTimeWaitNowhere() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "keepalive-requests = 1\n close-initiator = reset")) {
            run(porter);
            int port = tomcat.port();
            await().atMost(Duration.ofSeconds(5)).until(() -> closedBy(porter, ClosedBy.RESET) == REQUESTS);
            Thread.sleep(300);
            assertThat(count(TcpState.TIME_WAIT, proxySide(port))).isZero();
            assertThat(count(TcpState.TIME_WAIT, tomcatSide(port))).isZero();
        }
    }

    @Test
    void clientLegInClientModeLeavesTimeWaitOnTheClient() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, new String[] {tomcat.address()}, "",
                     "keepalive-requests = 1, close-initiator = client")) {
            int porterPort = porter.address().getPort();
            for (int i = 0; i < REQUESTS; i++) {
                try (RawHttp c = porter.connect()) {
                    RawHttp.Response r = c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
                    assertThat(r.header("connection")).isEqualTo("close");
                    // A well-behaved client closes on Connection: close; Porter waits for its FIN.
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> count(TcpState.TIME_WAIT, s -> s.remote().getPort() == porterPort) >= REQUESTS);
            assertThat(count(TcpState.TIME_WAIT, s -> s.local().getPort() == porterPort)).isZero();
            assertThat(porter.porter().tcpCensus().client().count(TcpState.TIME_WAIT))
                    .isEqualTo((int) countAll(TcpState.TIME_WAIT, s -> s.local().getPort() == porterPort));
        }
    }

    @Test
    void clientLegInProxyModeLeavesTimeWaitOnPorter() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, new String[] {tomcat.address()}, "",
                     "keepalive-requests = 1, close-initiator = proxy")) {
            int porterPort = porter.address().getPort();
            for (int i = 0; i < REQUESTS; i++) {
                try (RawHttp c = porter.connect()) {
                    c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
                    assertThat(c.isClosedByPeer()).isTrue();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> count(TcpState.TIME_WAIT, s -> s.local().getPort() == porterPort) >= REQUESTS);
            assertThat(porter.porter().tcpCensus().client().count(TcpState.TIME_WAIT)).isGreaterThanOrEqualTo(REQUESTS);
        }
    }

    @Test
    void poolStatsCountClosesByReason() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "keepalive-requests = 1")) {
            run(porter);
            await().atMost(Duration.ofSeconds(5)).until(() -> porter.status().pools().stream()
                    .mapToLong(p -> p.closedReason().get(CloseReason.KEEPALIVE_REQUESTS)).sum() == REQUESTS);
            PoolSnapshot pool = porter.status().pools().get(0);
            assertThat(pool.opened()).isEqualTo(REQUESTS);
            assertThat(pool.reusedRequests()).isZero();
        }
    }
}

package dev.porter.server;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import dev.porter.testing.TomcatBackend;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The point of the project: requests reuse warm upstream connections. Real Tomcat, real sockets. */
class KeepalivePoolingIT {

    @Test
    void sequentialRequestsThroughOneWorkerUseExactlyOneUpstreamConnection() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start(60_000, -1);
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "keepalive = 4")) {
            try (RawHttp client = porter.connect()) {
                for (int i = 0; i < 200; i++) {
                    RawHttp.Response r = client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read();
                    assertThat(r.status).isEqualTo(200);
                    assertThat(r.bodyText()).isEqualTo("hello from tomcat\n");
                }
            }
            // Several clients in turn, each on its own connection: still the same upstream connection.
            for (int c = 0; c < 20; c++) {
                try (RawHttp client = porter.connect()) {
                    assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status).isEqualTo(200);
                }
            }
            assertThat(tomcat.requests()).isEqualTo(220);
            assertThat(tomcat.connectionsSeen()).isEqualTo(1);
            assertThat(porter.upstreamConnectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void eachUpstreamConnectionRetiresAtItsOwnRequestCountWithinATenthBelowKeepaliveRequests() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream();
             PorterFixture porter = PorterFixture.start(1, upstream.address(), "keepalive-requests = 40");
             RawHttp client = porter.connect()) {
            // One request at a time: each upstream connection serves requests until its own limit,
            // then the next one takes over.
            while (upstream.connections() < 21) {
                assertThat(client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read().status).isEqualTo(200);
            }
            Map<Integer, Long> served = upstream.received().stream()
                    .collect(Collectors.groupingBy(RecordingUpstream.Received::connection, Collectors.counting()));
            served.remove(20); // the last one is still serving
            assertThat(served).hasSize(20);
            assertThat(served.values()).allSatisfy(n -> assertThat(n).isBetween(36L, 40L));
            // With one limit for all, every connection would serve 40: connections opened together
            // would all retire together. 20 equal draws of 5 values: about 1 in 10^13.
            assertThat(new HashSet<>(served.values())).hasSizeGreaterThan(1);
        }
    }

    @Test
    void clientConnectionCloseEndsTheClientConnectionButNotTheUpstreamOne() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "")) {
            for (int c = 0; c < 10; c++) {
                try (RawHttp client = porter.connect()) {
                    RawHttp.Response r = client.send("GET /headers HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").read();
                    assertThat(r.status).isEqualTo(200);
                    assertThat(r.header("connection")).isEqualTo("close");
                    assertThat(r.bodyText()).doesNotContain("connection: close").contains("connection: keep-alive");
                    assertThat(client.isClosedByPeer()).isTrue();
                }
            }
            assertThat(tomcat.connectionsSeen()).isEqualTo(1);
            assertThat(porter.upstreamConnectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void http10UpstreamOpensOneConnectionPerRequest() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "http-version = \"1.0\"")) {
            try (RawHttp client = porter.connect()) {
                for (int i = 0; i < 5; i++) {
                    RawHttp.Response r = client.send("GET /headers HTTP/1.1\r\nHost: test\r\n\r\n").read();
                    assertThat(r.status).isEqualTo(200);
                    assertThat(r.bodyText()).contains("protocol: HTTP/1.0").contains("connection: close");
                }
            }
            assertThat(tomcat.connectionsSeen()).isEqualTo(5);
        }
    }

    @Test
    void tomcatsKeepAliveHintRetiresIdleConnectionsBeforeTomcatCloses() throws Exception {
        // keepAliveTimeout 2 s: Tomcat answers "Keep-Alive: timeout=2", so Porter stops reusing
        // the connection after 1 s idle although its own keepalive-timeout is 60 s.
        try (TomcatBackend tomcat = TomcatBackend.start(2_000, 100);
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "keepalive-timeout = 60s")) {
            try (RawHttp client = porter.connect()) {
                assertThat(client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(200);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                        .until(() -> porter.status().pools().get(0).closedReason().get(CloseReason.IDLE_TIMEOUT) == 1);
                dev.porter.metrics.PoolSnapshot pool = porter.status().pools().get(0);
                assertThat(pool.closedBy().get(ClosedBy.PROXY)).isEqualTo(1);
                assertThat(pool.idle()).isZero();
            }
        }
    }

    @Test
    void keepaliveZeroMeansOneUpstreamConnectionPerRequest() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "keepalive = 0")) {
            try (RawHttp client = porter.connect()) {
                for (int i = 0; i < 5; i++) {
                    RawHttp.Response r = client.send("GET /headers HTTP/1.1\r\nHost: test\r\n\r\n").read();
                    assertThat(r.status).isEqualTo(200);
                    // Still HTTP/1.1 upstream: only the pool is off.
                    assertThat(r.bodyText()).contains("protocol: HTTP/1.1");
                }
            }
            assertThat(tomcat.connectionsSeen()).isEqualTo(5);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> porter.status().pools().get(0).closedReason().get(CloseReason.NOT_POOLED) == 5);
            assertThat(porter.status().pools().get(0).idle()).isZero();
        }
    }
}

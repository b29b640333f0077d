package dev.porter.server;

import dev.porter.testing.AccessLogCapture;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trusted real client address (nginx's realip) over real sockets: a trusted peer names the
 * client in a header, which X-Real-IP, rate-per-ip and the access log then use, while
 * X-Forwarded-For is still appended with the peer.
 */
class RealIpIT {
    private RecordingUpstream upstream;

    @BeforeEach
    void upstream() throws IOException {
        upstream = new RecordingUpstream();
    }

    @AfterEach
    void stop() throws IOException {
        upstream.close();
    }

    private PorterFixture porter(String listenerExtra) {
        return PorterFixture.start(1, new String[] {upstream.address()}, "", listenerExtra);
    }

    private static int get(PorterFixture p, String headers) throws IOException {
        try (RawHttp c = p.connect()) {
            return c.send("GET /hello HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n").read().status;
        }
    }

    private RecordingUpstream.Received last() {
        return upstream.received().get(upstream.received().size() - 1);
    }

    @Test
    void aTrustedPeerNamesTheClientForXRealIpAndTheAccessLogWhileXForwardedForGetsThePeer() throws Exception {
        try (AccessLogCapture log = new AccessLogCapture();
             PorterFixture p = porter("set-real-ip-from = [ \"10.0.0.0/8\", \"127.0.0.1\", \"::1\" ]")) {
            assertThat(get(p, "X-Forwarded-For: 203.0.113.7\r\n")).isEqualTo(200);
            assertThat(last().header("X-Real-IP")).isEqualTo("203.0.113.7");
            assertThat(last().header("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
            await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().size() == 1);
            assertThat(log.lines().get(0)).startsWith("203.0.113.7 - - [");

            // A request that names nobody is the peer's.
            assertThat(get(p, "")).isEqualTo(200);
            assertThat(last().header("X-Real-IP")).isEqualTo("127.0.0.1");
            assertThat(last().header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverHeaderItSends() throws Exception {
        try (AccessLogCapture log = new AccessLogCapture(); PorterFixture p = porter("set-real-ip-from = [ \"10.0.0.0/8\" ]")) {
            assertThat(get(p, "X-Forwarded-For: 203.0.113.7\r\n")).isEqualTo(200);
            assertThat(last().header("X-Real-IP")).isEqualTo("127.0.0.1");
            assertThat(last().header("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
            await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().size() == 1);
            assertThat(log.lines().get(0)).startsWith("127.0.0.1 - - [");
        }
    }

    @Test
    void withoutRecursionTheLastAddressIsTheClientAndWithItTheLastUntrustedOne() throws Exception {
        String chain = "X-Forwarded-For: 203.0.113.7, 10.1.2.3\r\n";
        try (PorterFixture p = porter("set-real-ip-from = [ \"127.0.0.1\", \"10.0.0.0/8\" ]")) {
            assertThat(get(p, chain)).isEqualTo(200);
            assertThat(last().header("X-Real-IP")).isEqualTo("10.1.2.3");
        }
        try (PorterFixture p = porter("set-real-ip-from = [ \"127.0.0.1\", \"10.0.0.0/8\" ], real-ip-recursive = true")) {
            assertThat(get(p, chain)).isEqualTo(200);
            assertThat(last().header("X-Real-IP")).isEqualTo("203.0.113.7");
            assertThat(last().header("X-Forwarded-For")).isEqualTo("203.0.113.7, 10.1.2.3, 127.0.0.1");
        }
    }

    @Test
    void realIpHeaderNamesWhichHeaderIsRead() throws Exception {
        try (PorterFixture p = porter("set-real-ip-from = [ \"127.0.0.1\" ], real-ip-header = X-Real-IP")) {
            assertThat(get(p, "X-Real-IP: 198.51.100.4\r\nX-Forwarded-For: 203.0.113.7\r\n")).isEqualTo(200);
            assertThat(last().header("X-Real-IP")).isEqualTo("198.51.100.4");
            assertThat(last().header("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        }
    }

    @Test
    void ratePerIpCountsTheRealClientAddress() throws Exception {
        try (PorterFixture p = porter("set-real-ip-from = [ \"127.0.0.1\" ], rate-per-ip = 1, rate-burst = 0")) {
            // One request a second for 203.0.113.7: a few in a row meet a 429.
            boolean limited = false;
            for (int i = 0; i < 10 && !limited; i++) {
                limited = get(p, "X-Forwarded-For: 203.0.113.7\r\n") == 429;
            }
            assertThat(limited).isTrue();
            // Another client behind the same trusted hop, on a connection from the same address, has its own rate.
            assertThat(get(p, "X-Forwarded-For: 198.51.100.9\r\n")).isEqualTo(200);
            assertThat(last().header("X-Real-IP")).isEqualTo("198.51.100.9");
        }
    }

    @Test
    void maxConnectionsPerIpStaysOnTheConnectionsAddress() throws Exception {
        try (PorterFixture p = porter("set-real-ip-from = [ \"127.0.0.1\" ], max-connections-per-ip = 1");
             RawHttp first = p.connect()) {
            assertThat(first.send("GET / HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n").read().status).isEqualTo(200);
            // Another real client, but the same hop: a connection is admitted before any request names anyone.
            assertThat(get(p, "X-Forwarded-For: 198.51.100.9\r\n")).isEqualTo(503);
        }
    }

    @Test
    void behindAProxyProtocolBalancerTheTrustedPeerIsThePROXYSource() throws Exception {
        try (PorterFixture p = porter("proxy-protocol = true, set-real-ip-from = [ \"10.0.0.0/8\" ]")) {
            try (RawHttp c = p.connect()) {
                c.send("PROXY TCP4 10.0.0.5 10.0.0.1 40000 80\r\n"
                        + "GET / HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n");
                assertThat(c.read().status).isEqualTo(200);
            }
            assertThat(last().header("X-Real-IP")).isEqualTo("203.0.113.7");
            assertThat(last().header("X-Forwarded-For")).isEqualTo("203.0.113.7, 10.0.0.5");
            // The socket's address (127.0.0.1) is not what is trusted: the PROXY source is the peer.
            try (RawHttp c = p.connect()) {
                c.send("PROXY TCP4 192.0.2.8 10.0.0.1 40000 80\r\n"
                        + "GET / HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n");
                assertThat(c.read().status).isEqualTo(200);
            }
            assertThat(last().header("X-Real-IP")).isEqualTo("192.0.2.8");
        }
    }
}

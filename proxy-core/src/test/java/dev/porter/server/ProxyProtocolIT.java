package dev.porter.server;

import dev.porter.testing.AccessLogCapture;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import dev.porter.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PROXY protocol v1 and v2 on a listener, over real sockets: the header's source address is the
 * client address for the forwarded headers, the access log and the per-IP limits; a connection
 * without a valid header is closed with nothing forwarded; the header comes before TLS.
 */
class ProxyProtocolIT {
    private static final String HELLO = "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";

    @TempDir
    Path dir;
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
        return PorterFixture.start(1, new String[] {upstream.address()}, "",
                "proxy-protocol = true" + (listenerExtra.isEmpty() ? "" : ", " + listenerExtra));
    }

    private static String v1(String source) {
        return "PROXY TCP4 " + source + " 127.0.0.1 56324 80\r\n";
    }

    private static byte[] concat(byte[] header, String request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(request.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static int get(PorterFixture p, String header) throws IOException {
        try (RawHttp c = p.connect()) {
            return c.send(header + HELLO).read().status;
        }
    }

    @Test
    void theV1SourceAddressIsTheClientForForwardedHeadersAndTheAccessLog() throws Exception {
        try (AccessLogCapture log = new AccessLogCapture(); PorterFixture p = porter(""); RawHttp c = p.connect()) {
            assertThat(c.send(v1("203.0.113.7") + HELLO).read().status).isEqualTo(200);
            // The next request on the connection has no header of its own: the address holds.
            assertThat(c.send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(200);
            assertThat(upstream.received()).hasSize(2).allSatisfy(r -> {
                assertThat(r.header("X-Forwarded-For")).isEqualTo("203.0.113.7");
                assertThat(r.header("X-Real-IP")).isEqualTo("203.0.113.7");
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().size() == 2);
            assertThat(log.lines().get(0)).startsWith("203.0.113.7 - - [").contains("\"GET /hello HTTP/1.1\" 200");
            assertThat(log.lines().get(1)).startsWith("203.0.113.7 - - [").contains("\"GET /again HTTP/1.1\" 200");
        }
    }

    @Test
    void theV2SourceAddressIsTheClientOverIpv4WithTlvsAndOverIpv6() throws Exception {
        try (PorterFixture p = porter("")) {
            byte[] authority = ProxyHeaders.tlv(0x02, "app.example".getBytes(StandardCharsets.US_ASCII));
            try (RawHttp c = p.connect()) {
                c.send(concat(ProxyHeaders.v2Tcp4("198.51.100.9", "127.0.0.1", 40001, 80, authority), HELLO));
                assertThat(c.read().status).isEqualTo(200);
            }
            try (RawHttp c = p.connect()) {
                c.send(concat(ProxyHeaders.v2Tcp6("2001:db8::7", "2001:db8::1", 40002, 80), HELLO));
                assertThat(c.read().status).isEqualTo(200);
            }
            assertThat(upstream.received()).extracting(r -> r.header("X-Real-IP")).containsExactly("198.51.100.9", "2001:db8::7");
            assertThat(upstream.received()).extracting(r -> r.header("X-Forwarded-For")).containsExactly("198.51.100.9", "2001:db8::7");
        }
    }

    @Test
    void aLocalHeaderFromTheBalancersHealthCheckKeepsTheSocketAddress() throws Exception {
        try (PorterFixture p = porter(""); RawHttp c = p.connect()) {
            c.send(concat(ProxyHeaders.v2Local(), HELLO));
            assertThat(c.read().status).isEqualTo(200);
            assertThat(upstream.received().get(0).header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void maxConnectionsPerIpCountsTheProxySourceNotTheBalancer() throws Exception {
        try (PorterFixture p = porter("max-connections-per-ip = 1")) {
            RawHttp first = p.connect();
            assertThat(first.send(v1("203.0.113.7") + HELLO).read().status).isEqualTo(200);
            // Same socket address (127.0.0.1), another client behind the balancer: admitted.
            try (RawHttp other = p.connect()) {
                assertThat(other.send(v1("198.51.100.9") + HELLO).read().status).isEqualTo(200);
            }
            // The same client again, through another balancer connection: refused.
            try (RawHttp again = p.connect()) {
                RawHttp.Response r = again.send(v1("203.0.113.7") + HELLO).read();
                assertThat(r.status).isEqualTo(503);
                assertThat(again.isClosedByPeer()).isTrue();
            }
            first.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> get(p, v1("203.0.113.7")) == 200);
            assertThat(upstream.received()).extracting(r -> r.header("X-Real-IP"))
                    .containsExactly("203.0.113.7", "198.51.100.9", "203.0.113.7");
        }
    }

    @Test
    void ratePerIpCountsTheProxySourceNotTheBalancer() throws Exception {
        try (PorterFixture p = porter("rate-per-ip = 1, rate-burst = 0")) {
            // One request a second for 203.0.113.7: a few in a row meet a 429.
            boolean limited = false;
            for (int i = 0; i < 10 && !limited; i++) {
                limited = get(p, v1("203.0.113.7")) == 429;
            }
            assertThat(limited).isTrue();
            // Another client behind the same balancer has its own rate.
            assertThat(get(p, v1("198.51.100.9"))).isEqualTo(200);
            assertThat(upstream.received()).extracting(r -> r.header("X-Real-IP")).last().isEqualTo("198.51.100.9");
        }
    }

    @Test
    void aConnectionWithoutAValidHeaderIsClosedAndNothingReachesTheUpstream() throws Exception {
        byte[] badVersion = ProxyHeaders.v2Tcp4("203.0.113.7", "127.0.0.1", 1, 80);
        badVersion[12] = 0x31;
        List<byte[]> attempts = List.of(
                HELLO.getBytes(StandardCharsets.US_ASCII),
                (v1("not-an-address") + HELLO).getBytes(StandardCharsets.US_ASCII),
                ("PROXY TCP4 203.0.113.7 127.0.0.1 56324 80\n" + HELLO).getBytes(StandardCharsets.US_ASCII),
                concat(badVersion, HELLO));
        try (PorterFixture p = porter("")) {
            for (byte[] attempt : attempts) {
                try (RawHttp c = p.connect()) {
                    c.send(attempt);
                    assertThat(c.isClosedByPeer()).isTrue();
                    assertThat(c.received()).isZero();
                }
            }
            // The listener still serves a connection that does send its header.
            assertThat(get(p, v1("203.0.113.7"))).isEqualTo(200);
            assertThat(upstream.connections()).isEqualTo(1);
            assertThat(upstream.received()).hasSize(1);
        }
    }

    @Test
    void aHeaderThatNeverCompletesIsClosedAtProxyProtocolTimeout() throws Exception {
        try (PorterFixture p = porter("proxy-protocol-timeout = 200ms")) {
            try (RawHttp silent = p.connect(); RawHttp slow = p.connect()) {
                slow.send("PROXY TCP4 203.0.113.7 ");
                assertThat(slow.isClosedByPeer()).isTrue();
                assertThat(silent.isClosedByPeer()).isTrue();
                assertThat(slow.received() + silent.received()).isZero();
            }
            assertThat(upstream.connections()).isZero();
        }
    }

    @Test
    void onATlsListenerTheHeaderComesFirstThenTheHandshake() throws Exception {
        TestPki pki = TestPki.ca("Porter Test CA");
        TestPki.Issued localhost = pki.issue("localhost", List.of("localhost"), "EC");
        Path chain = localhost.writeChain(dir.resolve("fullchain.pem"));
        Path key = localhost.writePkcs8Key(dir.resolve("key.pem"));
        String tls = "tls { certificate = \"" + chain + "\", key = \"" + key + "\" }";
        try (PorterFixture p = porter(tls)) {
            Socket plain = new Socket();
            plain.connect(p.address(), 5000);
            plain.getOutputStream().write(v1("203.0.113.7").getBytes(StandardCharsets.US_ASCII));
            SSLSocket s = (SSLSocket) pki.clientContext().getSocketFactory()
                    .createSocket(plain, "localhost", p.address().getPort(), true);
            s.startHandshake();
            try (RawHttp c = new RawHttp(s)) {
                assertThat(c.send(HELLO).read().status).isEqualTo(200);
            }
            assertThat(upstream.received()).hasSize(1);
            assertThat(upstream.received().get(0).header("X-Forwarded-For")).isEqualTo("203.0.113.7");
            assertThat(upstream.received().get(0).header("X-Forwarded-Proto")).isEqualTo("https");

            // A TLS client that does not send the header first: its ClientHello is no header.
            try (SSLSocket bare = (SSLSocket) pki.clientContext().getSocketFactory().createSocket()) {
                bare.connect(p.address(), 5000);
                bare.setSoTimeout(15_000);
                org.assertj.core.api.Assertions.assertThatThrownBy(bare::startHandshake).isInstanceOf(IOException.class);
            }
            assertThat(upstream.received()).hasSize(1);
        }
    }
}

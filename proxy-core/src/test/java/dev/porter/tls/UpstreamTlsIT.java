package dev.porter.tls;

import dev.porter.config.ConfigLoader;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.pki.TlsProvider;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import dev.porter.testing.TestPki;
import dev.porter.testing.TlsOrigin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS from Porter to its upstreams, against an HTTPS origin on the JDK's TLS: verified against
 * the test's CA and the configured name, pooled, resumed; and every way a handshake can fail,
 * each a connect error that goes to the next server and is counted per server with its reason.
 */
class UpstreamTlsIT {
    private static final TestPki PKI = TestPki.ca("Upstream CA");
    private static final TestPki OTHER = TestPki.ca("Some Other CA");
    private static TestPki.Issued app;
    private static TestPki.Issued impostor;

    @TempDir
    static Path dir;
    private static Path ca;

    @BeforeAll
    static void issue() throws IOException {
        app = PKI.issue("app.internal", List.of("app.internal"), "EC");
        impostor = OTHER.issue("app.internal", List.of("app.internal"), "EC");
        ca = PKI.writeCertificate(dir.resolve("ca.pem"));
    }

    private static PorterFixture porter(String tls, String... servers) {
        return PorterFixture.start(1, servers, tls, "");
    }

    private static String tls(String extra) {
        return "tls { enabled = true, trusted-certificates = \"" + ca + "\"" + extra + " }";
    }

    private static RawHttp.Response get(RawHttp c, String path) throws IOException {
        return c.send("GET " + path + " HTTP/1.1\r\nHost: client.example\r\n\r\n").read();
    }

    /** Connect errors by reason, over all workers, for one server. */
    private static Map<String, Long> connectErrors(PorterFixture p, String server) {
        Map<String, Long> out = new HashMap<>();
        for (PoolSnapshot s : p.status().pools()) {
            if (s.server().equals(server)) {
                s.connectErrors().forEach((k, v) -> out.merge(k, v, Long::sum));
            }
        }
        return out;
    }

    @Test
    void requestsReachTheOriginVerifiedByItsCaAndServerNameOnOnePooledConnection() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(app);
             PorterFixture p = porter(tls(", server-name = app.internal"), origin.address());
             RawHttp c = p.connect()) {
            for (String path : List.of("/a", "/b", "/c")) {
                RawHttp.Response r = get(c, path);
                assertThat(r.status).isEqualTo(200);
                assertThat(new String(r.body)).isEqualTo("sni=app.internal conn=0 " + path);
            }
            assertThat(origin.handshakes()).hasSize(1);
            assertThat(p.upstreamConnectionsOpened()).isEqualTo(1);
            assertThat(origin.requests().get(0)).containsIgnoringCase("x-forwarded-proto: http\r\n");
        }
    }

    @Test
    void withoutServerNameTheAddressIsVerifiedAndNoNameIsSentForAnIp() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(app);
             PorterFixture p = porter(tls(""), origin.address());
             RawHttp c = p.connect()) {
            assertThat(get(c, "/").status).isEqualTo(200);
            assertThat(origin.handshakes().get(0).serverName()).isEmpty();
        }
    }

    @Test
    void aCertificateFromAnotherCaIsA502WithItsReasonInStatusAndNoRequestIsSent() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(impostor);
             PorterFixture p = porter(tls(", server-name = app.internal"), origin.address());
             RawHttp c = p.connect()) {
            assertThat(get(c, "/").status).isEqualTo(502);
            assertThat(connectErrors(p, origin.address())).containsEntry("tls-certificate", 1L);
            assertThat(p.upstreamConnectionsOpened()).isZero();
            assertThat(origin.requests()).isEmpty();
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedToo() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(app);
             PorterFixture p = porter(tls(", server-name = other.internal"), origin.address());
             RawHttp c = p.connect()) {
            assertThat(get(c, "/").status).isEqualTo(502);
            assertThat(connectErrors(p, origin.address())).containsEntry("tls-certificate", 1L);
            assertThat(origin.requests()).isEmpty();
        }
    }

    @Test
    void verifyOffAcceptsAnyCertificate() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(impostor);
             PorterFixture p = porter("tls { enabled = true, verify = false }", origin.address());
             RawHttp c = p.connect()) {
            assertThat(get(c, "/").status).isEqualTo(200);
        }
    }

    @Test
    void aFailedHandshakeIsAConnectErrorThatGoesToTheNextServer() throws Exception {
        try (TlsOrigin bad = new TlsOrigin(impostor);
             TlsOrigin good = new TlsOrigin(app);
             PorterFixture p = porter(tls(", server-name = app.internal"), bad.address(), good.address());
             RawHttp c = p.connect()) {
            for (int i = 0; i < 4; i++) {
                RawHttp.Response r = get(c, "/" + i);
                assertThat(r.status).isEqualTo(200);
                assertThat(new String(r.body)).startsWith("sni=app.internal");
            }
            assertThat(connectErrors(p, bad.address())).containsEntry("tls-certificate", 1L);
            assertThat(bad.requests()).isEmpty();
            assertThat(good.requests()).hasSize(4);
        }
    }

    @Test
    void aPlainHttpServerIsAHandshakeFailure() throws Exception {
        try (ScriptedUpstream plain = new ScriptedUpstream((conn, i) -> conn.write(
                "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
             PorterFixture p = porter(tls(""), plain.address());
             RawHttp c = p.connect()) {
            assertThat(get(c, "/").status).isEqualTo(502);
            assertThat(connectErrors(p, plain.address())).containsEntry("tls-handshake", 1L);
        }
    }

    @Test
    void aServerThatNeverAnswersTheHandshakeTimesOutWithinConnectTimeout() throws Exception {
        try (ScriptedUpstream silent = new ScriptedUpstream((conn, i) -> conn.socket().getInputStream().readAllBytes());
             PorterFixture p = porter(tls("") + "\n connect-timeout = 300ms", silent.address());
             RawHttp c = p.connect()) {
            assertThat(get(c, "/").status).isEqualTo(504);
            assertThat(connectErrors(p, silent.address())).containsEntry("tls-handshake-timeout", 1L);
        }
    }

    /**
     * A configuration without TLS never asks which TLS implementation to use (that loads it);
     * a reload that turns TLS on for a group asks then, and the group's new requests speak it.
     */
    @Test
    void aReloadTurnsTlsOnForAGroupThatStartedWithout() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(app);
             PorterFixture p = porter("", origin.address());
             RawHttp c = p.connect()) {
            assertThat(p.porter().tlsProvider()).isNull();
            assertThat(origin.handshakes()).isEmpty();

            String withTls = PorterFixture.config(1, new String[] {origin.address()},
                    tls(", server-name = app.internal"), "", "");
            p.porter().reload(ConfigLoader.parse(withTls, "test.conf")).get(5, TimeUnit.SECONDS);

            RawHttp.Response r = get(c, "/after");
            assertThat(r.status).isEqualTo(200);
            assertThat(new String(r.body)).isEqualTo("sni=app.internal conn=0 /after");
            assertThat(origin.handshakes()).hasSize(1);
            assertThat(p.porter().tlsProvider()).isEqualTo(TlsProvider.describe(TlsProvider.best()));
        }
    }

    @Test
    void aNewConnectionToTheSameServerResumesTheTlsSession() throws Exception {
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            try (TlsOrigin origin = new TlsOrigin(app, protocol);
                 PorterFixture p = porter(tls(", server-name = app.internal") + "\n keepalive = 0", origin.address());
                 RawHttp c = p.connect()) {
                for (int i = 0; i < 3; i++) {
                    assertThat(get(c, "/" + i).status).isEqualTo(200);
                }
                assertThat(origin.handshakes()).extracting(TlsOrigin.Handshake::protocol).containsOnly(protocol);
                assertThat(origin.handshakes()).extracting(TlsOrigin.Handshake::full).containsExactly(true, false, false);
            }
        }
    }
}

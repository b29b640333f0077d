package dev.porter.tls;

import dev.porter.Porter;
import dev.porter.config.ConfigLoader;
import dev.porter.config.InvalidConfigException;
import dev.porter.config.ProxyConfig;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import dev.porter.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS on a listener, on real sockets: clients that verify Porter's certificate against a CA
 * made for the test, both protocol versions, SNI, ALPN, resumption, certificate reload, and
 * the bad input a TLS port gets (plain HTTP, a handshake that never ends).
 */
class ListenerTlsIT {
    private static final TestPki PKI = TestPki.ca("Porter Test CA");
    private static TestPki.Issued localhost;

    @TempDir
    Path dir;
    private RecordingUpstream upstream;
    private Porter porter;
    private Path configFile;

    @BeforeAll
    static void issue() {
        localhost = PKI.issue("localhost", List.of("localhost"), "EC");
    }

    @BeforeEach
    void upstream() throws IOException {
        upstream = new RecordingUpstream();
    }

    @AfterEach
    void stop() throws IOException {
        if (porter != null) {
            porter.close();
        }
        upstream.close();
    }

    /** Starts Porter from a file in the test's directory, as `porter run` would, so that reloads re-read it. */
    private void start(String tls) throws IOException {
        configFile = dir.resolve("porter.conf");
        Files.writeString(configFile, config(tls, "127.0.0.1:0"));
        porter = Porter.start(ConfigLoader.load(configFile));
    }

    private String config(String tls, String address) {
        return "porter {\n"
                + "  workers = 1\n"
                + "  listeners = [ { address = \"" + address + "\", " + tls + " } ]\n"
                + "  upstreams { app { servers = [ { address = \"" + upstream.address() + "\" } ] } }\n"
                + "  routes = [ { path-prefix = \"/\", upstream = app } ]\n"
                + "  admin.enabled = false\n"
                + "}\n";
    }

    private String defaultTls() throws IOException {
        localhost.writeChain(dir.resolve("fullchain.pem"));
        localhost.writePkcs8Key(dir.resolve("key.pem"));
        return "tls { certificate = fullchain.pem, key = key.pem }";
    }

    private InetSocketAddress address() {
        return porter.listenAddresses().get(0);
    }

    /** A handshaken TLS connection, trusting the test CA; {@code sni} null sends no name. */
    private SSLSocket connect(SSLContext ctx, String sni, String... protocols) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        if (protocols.length > 0) {
            p.setProtocols(protocols);
        }
        s.setSSLParameters(p);
        s.connect(address(), 5000);
        s.setSoTimeout(15_000);
        s.startHandshake();
        return s;
    }

    private static RawHttp.Response get(RawHttp c, String path) throws IOException {
        return c.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
    }

    private static X509Certificate peer(SSLSocket s) throws IOException {
        return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }

    @Test
    void httpsRequestVerifiedAgainstTheTestCaReachesTheUpstreamWithForwardedProtoHttps() throws Exception {
        start(defaultTls());
        HttpClient client = HttpClient.newBuilder().sslContext(PKI.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + address().getPort() + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("conn=0 /hello");
        assertThat(upstream.received()).hasSize(1);
        assertThat(upstream.received().get(0).header("x-forwarded-proto")).isEqualTo("https");

        // The same client, not trusting the CA, refuses Porter's certificate: the test's trust is real.
        HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + address().getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void tls13AndTls12HandshakesBothServeRequestsOnOneConnection() throws Exception {
        start(defaultTls());
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            try (SSLSocket s = connect(PKI.clientContext(), "localhost", protocol); RawHttp c = new RawHttp(s)) {
                assertThat(s.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(peer(s)).isEqualTo(localhost.certificate());
                assertThat(get(c, "/a").status).isEqualTo(200);
                assertThat(get(c, "/b").status).isEqualTo(200);
            }
        }
        assertThat(upstream.received()).extracting(RecordingUpstream.Received::target).containsExactly("/a", "/b", "/a", "/b");
    }

    @Test
    void protocolsAndCiphersAreTheConfiguredOnes() throws Exception {
        localhost.writeChain(dir.resolve("fullchain.pem"));
        localhost.writePkcs8Key(dir.resolve("key.pem"));
        start("tls { certificate = fullchain.pem, key = key.pem, protocols = [TLSv1.2],"
                + " ciphers = [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384] }");
        try (SSLSocket s = connect(PKI.clientContext(), "localhost")) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(s.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        }
        assertThatThrownBy(() -> connect(PKI.clientContext(), "localhost", "TLSv1.3").close()).isInstanceOf(IOException.class);
    }

    @Test
    void alpnAnswersHttp11ToAClientThatAlsoOffersH2() throws Exception {
        start(defaultTls());
        SSLSocket s = (SSLSocket) PKI.clientContext().getSocketFactory().createSocket();
        SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        s.setSSLParameters(p);
        s.connect(address(), 5000);
        s.startHandshake();
        try (RawHttp c = new RawHttp(s)) {
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(get(c, "/").status).isEqualTo(200);
        }
    }

    @Test
    void sniPicksTheCertificateForTheNameAndTheDefaultOtherwise() throws Exception {
        TestPki.Issued a = PKI.issue("a.test", List.of("a.test"), "EC");
        TestPki.Issued b = PKI.issue("b.test", List.of("b.test", "*.b.test"), "RSA");
        a.writeChain(dir.resolve("a.pem"));
        a.writePkcs8Key(dir.resolve("a.key"));
        b.writeChain(dir.resolve("b.pem"));
        b.writeTraditionalKey(dir.resolve("b.key"));
        start(defaultTls().replace(" }", ", certificates = [ { server-names = [ a.test ], certificate = a.pem, key = a.key },"
                + " { server-names = [ b.test, \"*.b.test\" ], certificate = b.pem, key = b.key } ] }"));
        // A fresh client context each time: the JDK's client resumes a cached session by address
        // and then sends that session's name, whatever name it is asked for.
        try (SSLSocket s = connect(PKI.clientContext(), "a.test")) {
            assertThat(peer(s)).isEqualTo(a.certificate());
        }
        try (SSLSocket s = connect(PKI.clientContext(), "b.test")) {
            assertThat(peer(s)).isEqualTo(b.certificate());
        }
        try (SSLSocket s = connect(PKI.clientContext(), "www.b.test")) {
            assertThat(peer(s)).isEqualTo(b.certificate());
        }
        try (SSLSocket s = connect(PKI.clientContext(), "other.test")) {
            assertThat(peer(s)).isEqualTo(localhost.certificate());
        }
        try (SSLSocket s = connect(PKI.clientContext(), null); RawHttp c = new RawHttp(s)) {
            assertThat(peer(s)).isEqualTo(localhost.certificate());
            assertThat(get(c, "/").status).isEqualTo(200);
        }
    }

    @Test
    void anEcdsaAndAnRsaCertificateForTheSameNameEachServeTheClientsThatCanVerifyThem() throws Exception {
        TestPki.Issued rsa = PKI.issue("localhost", List.of("localhost"), "RSA");
        localhost.writeChain(dir.resolve("ecdsa.pem"));
        localhost.writePkcs8Key(dir.resolve("ecdsa.key"));
        rsa.writeChain(dir.resolve("rsa.pem"));
        rsa.writeTraditionalKey(dir.resolve("rsa.key"));
        start("tls { certificate = [ ecdsa.pem, rsa.pem ], key = [ ecdsa.key, rsa.key ] }");
        // A current client accepts both and gets the first listed, ECDSA.
        try (SSLSocket s = connect(PKI.clientContext(), "localhost", "TLSv1.3"); RawHttp c = new RawHttp(s)) {
            assertThat(peer(s)).isEqualTo(localhost.certificate());
            assertThat(get(c, "/ecdsa").status).isEqualTo(200);
        }
        // An old client that knows only RSA suites gets the RSA certificate, on the same port and name.
        SSLSocket old = (SSLSocket) PKI.clientContext().getSocketFactory().createSocket();
        old.setEnabledProtocols(new String[] {"TLSv1.2"});
        old.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        old.connect(address(), 5000);
        old.setSoTimeout(15_000);
        try (SSLSocket s = old; RawHttp c = new RawHttp(s)) {
            s.startHandshake();
            assertThat(peer(s)).isEqualTo(rsa.certificate());
            assertThat(get(c, "/rsa").status).isEqualTo(200);
        }
        assertThat(upstream.received()).extracting(RecordingUpstream.Received::target).containsExactly("/ecdsa", "/rsa");
    }

    @Test
    void aSecondConnectionResumesTheTlsSession() throws Exception {
        start(defaultTls());
        SSLContext ctx = PKI.clientContext();
        byte[] first;
        try (SSLSocket s = connect(ctx, "localhost", "TLSv1.2"); RawHttp c = new RawHttp(s)) {
            first = s.getSession().getId();
            assertThat(get(c, "/").status).isEqualTo(200);
        }
        try (SSLSocket s = connect(ctx, "localhost", "TLSv1.2")) {
            assertThat(first).isNotEmpty();
            assertThat(s.getSession().getId()).isEqualTo(first);
        }
    }

    @Test
    void reloadSwapsTheCertificateForNewHandshakesWhileAnOpenConnectionKeepsWorking() throws Exception {
        start(defaultTls());
        SSLContext ctx = PKI.clientContext();
        try (SSLSocket open = connect(ctx, "localhost"); RawHttp c = new RawHttp(open)) {
            assertThat(get(c, "/before").status).isEqualTo(200);

            TestPki.Issued renewed = PKI.issue("localhost", List.of("localhost"), "RSA");
            renewed.writeChain(dir.resolve("fullchain.pem"));
            renewed.writeTraditionalKey(dir.resolve("key.pem"));
            porter.reload(ConfigLoader.load(configFile)).get(5, TimeUnit.SECONDS);

            assertThat(get(c, "/after").status).isEqualTo(200);
            assertThat(peer(open)).isEqualTo(localhost.certificate());
            try (SSLSocket fresh = connect(ctx, "localhost"); RawHttp d = new RawHttp(fresh)) {
                assertThat(peer(fresh)).isEqualTo(renewed.certificate());
                assertThat(get(d, "/new").status).isEqualTo(200);
            }
        }
        assertThat(upstream.received()).extracting(RecordingUpstream.Received::target).containsExactly("/before", "/after", "/new");
    }

    @Test
    void reloadWithAKeyThatDoesNotMatchIsRefusedAndTheOldCertificateKeepsServing() throws Exception {
        start(defaultTls());
        PKI.issue("localhost", List.of("localhost"), "EC").writePkcs8Key(dir.resolve("key.pem"));
        assertThatThrownBy(() -> ConfigLoader.load(configFile))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(configFile + ": 3: porter.listeners[].tls.key: " + dir.resolve("key.pem")
                        + " does not match the certificate in " + dir.resolve("fullchain.pem"));
        try (SSLSocket s = connect(PKI.clientContext(), "localhost"); RawHttp c = new RawHttp(s)) {
            assertThat(peer(s)).isEqualTo(localhost.certificate());
            assertThat(get(c, "/").status).isEqualTo(200);
        }
    }

    @Test
    void reloadMayChangeTlsSettingsButNotTheAddressNorTurnTlsOff() throws Exception {
        start(defaultTls());
        int port = address().getPort();
        Path movedFile = Files.writeString(dir.resolve("moved.conf"), config(defaultTls(), "127.0.0.1:1"));
        ProxyConfig moved = ConfigLoader.load(movedFile);
        assertThatThrownBy(() -> porter.reload(moved).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("restart Porter");
        ProxyConfig plain = ConfigLoader.load(configFile);
        ProxyConfig off = plain.toBuilder().listeners(List.of(plain.listeners().get(0).withTls(null))).build();
        assertThatThrownBy(() -> porter.reload(off).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("turning TLS on or off needs a restart");

        Files.writeString(configFile, config(defaultTls().replace(" }", ", protocols = [TLSv1.3] }"), "127.0.0.1:0"));
        porter.reload(ConfigLoader.load(configFile)).get(5, TimeUnit.SECONDS);
        assertThat(address().getPort()).isEqualTo(port);
        assertThatThrownBy(() -> connect(PKI.clientContext(), "localhost", "TLSv1.2").close()).isInstanceOf(IOException.class);
        try (SSLSocket s = connect(PKI.clientContext(), "localhost")) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void plainHttpOnTheTlsPortGets400AndCloseAndNothingReachesTheUpstream() throws Exception {
        start(defaultTls());
        try (RawHttp c = new RawHttp(address())) {
            RawHttp.Response r = get(c, "/plain");
            assertThat(r.status).isEqualTo(400);
            assertThat(new String(r.body)).contains("plain HTTP request was sent to an HTTPS port");
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        try (SSLSocket s = connect(PKI.clientContext(), "localhost"); RawHttp c = new RawHttp(s)) {
            assertThat(get(c, "/tls").status).isEqualTo(200);
        }
        assertThat(upstream.received()).extracting(RecordingUpstream.Received::target).containsExactly("/tls");
    }

    @Test
    void clientsThatNeverCompleteTheirHandshakeAreClosedAtTheHandshakeTimeout() throws Exception {
        start(defaultTls().replace(" }", ", handshake-timeout = 200ms }"));
        try (RawHttp silent = new RawHttp(address());
             RawHttp partial = new RawHttp(address())) {
            // A TLS record header announcing a ClientHello that never comes.
            partial.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
            assertThat(silent.isClosedByPeer()).isTrue();
            assertThat(partial.isClosedByPeer()).isTrue();
        }
        assertThat(upstream.received()).isEmpty();
        assertThat(upstream.connections()).isZero();
    }
}

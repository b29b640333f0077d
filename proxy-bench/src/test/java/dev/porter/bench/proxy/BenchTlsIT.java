package dev.porter.bench.proxy;

import dev.porter.Porter;
import dev.porter.bench.backend.StaticOrigin;
import dev.porter.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The certificate a {@code --tls} run makes, on real sockets: Porter's own config loader
 * accepts the files as the bench writes them, a Porter listener serves them over TLS 1.3 (what
 * {@link TlsProbe} reports), and a JDK client that trusts only this certificate verifies it for
 * 127.0.0.1 and gets the origin's answer through Porter. Needs openssl, as {@code --tls} does.
 */
class BenchTlsIT {
    @TempDir
    Path dir;

    private StaticOrigin origin;
    private Porter porter;

    @AfterEach
    void tearDown() {
        if (porter != null) {
            porter.shutdownGracefully(Duration.ZERO);
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void theRunsCertificateIsSelfSignedForLocalhostAndCombinedForHaproxy() throws Exception {
        BenchCertificate cert = BenchCertificate.generate(openssl(), dir);

        assertThat(cert.files()).hasSize(1);
        BenchCertificate.KeyFiles files = cert.files().get(0);
        X509Certificate x509 = read(files.certificate());
        assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(x509.getIssuerX500Principal()).isEqualTo(x509.getSubjectX500Principal());
        assertThat(x509.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(x509.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
                .containsExactlyInAnyOrder("localhost", "127.0.0.1");
        assertThat(Files.readString(files.key())).startsWith("-----BEGIN PRIVATE KEY-----");
        // HAProxy's crt: the certificate, then its key, in one file
        assertThat(Files.readString(files.combined()))
                .isEqualTo(Files.readString(files.certificate()) + Files.readString(files.key()));
    }

    @Test
    void porterServesTheCertificateAsTheBenchConfiguresIt() throws Exception {
        BenchCertificate cert = BenchCertificate.generate(openssl(), dir);
        InetSocketAddress listen = startPorter(cert);

        // what the report prints: TLS 1.3 with OpenSSL's default client offer, an RSA signature
        assertThat(TlsProbe.probe(openssl(), listen)).startsWith("TLSv1.3 TLS_").contains("RSA");
        HttpResponse<String> response = trustingOnly(cert).send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + listen.getPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello\n");
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void withBothKeysPorterServesEcdsaToACurrentClientAndRsaToOneThatAcceptsNothingElse() throws Exception {
        BenchCertificate both = BenchCertificate.generate(openssl(), dir, BenchCertificate.Keys.BOTH);
        List<String> keyTypes = new ArrayList<>();
        for (BenchCertificate.KeyFiles f : both.files()) {
            keyTypes.add(read(f.certificate()).getPublicKey().getAlgorithm());
        }
        assertThat(keyTypes).containsExactly("EC", "RSA");
        InetSocketAddress listen = startPorter(both);

        assertThat(TlsProbe.probe(openssl(), listen)).startsWith("TLSv1.3 TLS_").contains("ECDSA");
        try (SSLSocket old = rsaOnlyClient(listen)) {
            assertThat(old.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo("RSA");
        }
    }

    /** A TLS 1.2 client whose one suite needs an RSA certificate, handshaken; it verifies nothing. */
    private static SSLSocket rsaOnlyClient(InetSocketAddress to) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(to.getAddress(), to.getPort());
        s.setSoTimeout(10_000);
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        s.startHandshake();
        return s;
    }

    @Test
    void theProbeSaysSoWhenNothingSpeaksTls() throws Exception {
        origin = new StaticOrigin("127.0.0.1", 0);
        InetSocketAddress plain = origin.start();

        assertThat(TlsProbe.probe(openssl(), plain)).startsWith("unknown (");
    }

    /** Porter in front of a static origin, from the configuration file the bench writes for {@code cert}. */
    private InetSocketAddress startPorter(BenchCertificate cert) throws Exception {
        origin = new StaticOrigin("127.0.0.1", 0);
        InetSocketAddress upstream = origin.start();
        PorterSettings settings = new PorterSettings(1, new InetSocketAddress("127.0.0.1", 0), upstream, null, 4, 1000,
                "1.1", "proxy").withTls(cert);
        Path conf = Files.writeString(dir.resolve("porter.conf"), PorterConfigWriter.write(settings));
        porter = Porter.start(ConfigLoader.load(conf));
        return porter.listenAddresses().get(0);
    }

    private static Path openssl() {
        return BenchCertificate.locateOpenssl()
                .orElseThrow(() -> new AssertionError("--tls and this test need openssl (apt-get install openssl)"));
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A client that trusts this certificate and nothing else, and checks the name (here the IP) against it. */
    private static HttpClient trustingOnly(BenchCertificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        Certificate c = read(cert.files().get(0).certificate());
        trust.setCertificateEntry("bench", c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}

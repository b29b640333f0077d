package dev.porter.config;

import dev.porter.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS keys of listeners and upstream groups: files read at load, every problem with file, line and key. */
class TlsConfigTest {
    private static final TestPki PKI = TestPki.ca("Porter Test CA");
    private static TestPki.Issued ec;
    private static TestPki.Issued rsa;

    @TempDir
    Path dir;

    @BeforeAll
    static void issue() {
        ec = PKI.issue("localhost", List.of("localhost"), "EC");
        rsa = PKI.issue("rsa.test", List.of("rsa.test"), "RSA");
    }

    private static String config(String listenerTls, String upstreamExtra) {
        return String.join("\n",
                "porter {",
                "  listeners = [ { address = \"127.0.0.1:8443\"",
                "    " + listenerTls,
                "  } ]",
                "  upstreams { app {",
                "    servers = [ { address = \"127.0.0.1:8080\" } ]",
                "    " + upstreamExtra,
                "  } }",
                "  routes = [ { path-prefix = \"/\", upstream = app } ]",
                "}");
    }

    private static String tls(Path certificate, Path key) {
        return "tls { certificate = \"" + certificate + "\", key = \"" + key + "\" }";
    }

    @Test
    void listenerWithoutTlsIsPlainAndUpstreamTlsIsOffByDefault() {
        ProxyConfig c = ConfigLoader.parse(config("", ""), "porter.conf");
        assertThat(c.listeners().get(0).tls()).isNull();
        assertThat(c.upstreams().get("app").tls().enabled()).isFalse();
    }

    @Test
    void chainAndPkcs8KeyLoadWithTheDocumentedDefaults() throws IOException {
        Path chain = ec.writeChain(dir.resolve("fullchain.pem"));
        Path key = ec.writePkcs8Key(dir.resolve("key.pem"));
        ListenerTlsConfig tls = ConfigLoader.parse(config(tls(chain, key), ""), "porter.conf").listeners().get(0).tls();
        assertThat(tls.certificates()).hasSize(1);
        assertThat(tls.certificates().get(0).serverNames()).isEmpty();
        assertThat(tls.certificates().get(0).first().chain()).containsExactly(ec.certificate(), PKI.certificate());
        assertThat(tls.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(tls.ciphers()).contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(tls.sessionTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void pkcs1RsaAndSec1EcKeysAreReadAsWell() throws IOException {
        Path rsaChain = rsa.writeChain(dir.resolve("rsa.pem"));
        Path rsaKey = rsa.writeTraditionalKey(dir.resolve("rsa.key"));
        Path ecChain = ec.writeChain(dir.resolve("ec.pem"));
        Path ecKey = ec.writeTraditionalKey(dir.resolve("ec.key"));
        assertThat(Files.readString(rsaKey)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(ecKey)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        RSAPrivateKey rsaRead = (RSAPrivateKey) ConfigLoader.parse(config(tls(rsaChain, rsaKey), ""), "porter.conf")
                .listeners().get(0).tls().certificates().get(0).first().key();
        assertThat(rsaRead.getPrivateExponent()).isEqualTo(((RSAPrivateKey) rsa.key()).getPrivateExponent());
        ECPrivateKey ecRead = (ECPrivateKey) ConfigLoader.parse(config(tls(ecChain, ecKey), ""), "porter.conf")
                .listeners().get(0).tls().certificates().get(0).first().key();
        assertThat(ecRead.getS()).isEqualTo(((ECPrivateKey) ec.key()).getS());
    }

    @Test
    void relativeFileNamesAreRelativeToTheConfigurationFile() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("etc"));
        ec.writeChain(conf.resolve("fullchain.pem"));
        ec.writePkcs8Key(conf.resolve("key.pem"));
        Path file = conf.resolve("porter.conf");
        Files.writeString(file, config("tls { certificate = \"fullchain.pem\", key = \"key.pem\" }", ""));
        assertThat(ConfigLoader.load(file).listeners().get(0).tls().certificates().get(0).first().leaf())
                .isEqualTo(ec.certificate());
    }

    @Test
    void missingCertificateFileIsRefusedWithFileLineAndKey() throws IOException {
        Path key = ec.writePkcs8Key(dir.resolve("key.pem"));
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> ConfigLoader.parse(config(tls(missing, key), ""), "porter.conf"))
                .hasMessageContaining("porter.conf: 3: porter.listeners[].tls.certificate: " + missing + ": no such file");
    }

    @Test
    void keyThatDoesNotMatchTheCertificateIsRefused() throws IOException {
        Path chain = ec.writeChain(dir.resolve("fullchain.pem"));
        Path otherKey = rsa.writePkcs8Key(dir.resolve("other.key"));
        assertThatThrownBy(() -> ConfigLoader.parse(config(tls(chain, otherKey), ""), "porter.conf"))
                .hasMessageContaining("porter.conf: 3: porter.listeners[].tls.key: " + otherKey
                        + " does not match the certificate in " + chain);
    }

    @Test
    void chainWithTheServerCertificateNotFirstIsRefusedSayingSo() throws IOException {
        Path chain = dir.resolve("reversed.pem");
        Files.writeString(chain, Files.readString(PKI.writeCertificate(dir.resolve("ca.pem")))
                + Files.readString(ec.writeChain(dir.resolve("fullchain.pem"))));
        Path key = ec.writePkcs8Key(dir.resolve("key.pem"));
        assertThatThrownBy(() -> ConfigLoader.parse(config(tls(chain, key), ""), "porter.conf"))
                .hasMessageContaining("belongs to certificate 2 of " + chain + ", but the server's own certificate must come first");
    }

    @Test
    void unreadableOrEncryptedKeysAndNonCertificatesAreRefused() throws IOException {
        Path chain = ec.writeChain(dir.resolve("fullchain.pem"));
        Path garbage = Files.writeString(dir.resolve("garbage.key"),
                "-----BEGIN PRIVATE KEY-----\nAAECAwQF\n-----END PRIVATE KEY-----\n");
        Path encrypted = Files.writeString(dir.resolve("encrypted.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAECAwQF\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Path notPem = Files.writeString(dir.resolve("cert.txt"), "hello\n");
        assertThatThrownBy(() -> ConfigLoader.parse(config(tls(chain, garbage), ""), "porter.conf"))
                .hasMessageContaining("porter.conf: 3: porter.listeners[].tls.key: " + garbage + ": the private key cannot be read");
        assertThatThrownBy(() -> ConfigLoader.parse(config(tls(chain, encrypted), ""), "porter.conf"))
                .hasMessageContaining(encrypted + ": the private key is encrypted");
        assertThatThrownBy(() -> ConfigLoader.parse(config(tls(notPem, encrypted), ""), "porter.conf"))
                .hasMessageContaining("porter.listeners[].tls.certificate: " + notPem + ": no certificate in it");
    }

    @Test
    void badProtocolsCiphersAndTimeoutsAreRefused() throws IOException {
        Path chain = ec.writeChain(dir.resolve("fullchain.pem"));
        Path key = ec.writePkcs8Key(dir.resolve("key.pem"));
        String text = config("tls { certificate = \"" + chain + "\", key = \"" + key + "\",\n"
                + " protocols = [TLSv1.1],\n ciphers = [TLS_NOT_A_CIPHER],\n handshake-timeout = 10 }", "");
        assertThatThrownBy(() -> ConfigLoader.parse(text, "porter.conf"))
                .hasMessageContaining("porter.conf: 4: porter.listeners[].tls.protocols: unsupported protocol \"TLSv1.1\"")
                .hasMessageContaining("porter.conf: 5: porter.listeners[].tls.ciphers: unknown cipher suite \"TLS_NOT_A_CIPHER\"")
                .hasMessageContaining("porter.conf: 6: porter.listeners[].tls.handshake-timeout: a duration needs a unit");
    }

    @Test
    void tlsBlockWithoutCertificateAndTyposAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.parse(config("tls { protocols = [TLSv1.3] }", ""), "porter.conf"))
                .hasMessageContaining("porter.conf: 3: porter.listeners[].tls.certificate: a tls block needs certificate and key");
        assertThatThrownBy(() -> ConfigLoader.parse(config("tls { certficate = \"a.pem\" }", ""), "porter.conf"))
                .hasMessageContaining("porter.conf: 3: porter.listeners[].tls.certficate: unknown key (did you mean \"certificate\"?)");
        assertThatThrownBy(() -> ConfigLoader.parse(config("tls { key = \"/k.pem\" }", ""), "porter.conf"))
                .hasMessageContaining("porter.listeners[].tls.certificate: is required with key");
    }

    @Test
    void listsOfCertificatesAndKeysPairInOrderForTheSameNames() throws IOException {
        Path ecChain = ec.writeChain(dir.resolve("ec.pem"));
        Path ecKey = ec.writePkcs8Key(dir.resolve("ec.key"));
        Path rsaChain = rsa.writeChain(dir.resolve("rsa.pem"));
        Path rsaKey = rsa.writeTraditionalKey(dir.resolve("rsa.key"));
        ListenerTlsConfig tls = ConfigLoader.parse(config("tls { certificate = [ \"" + ecChain + "\", \"" + rsaChain
                + "\" ], key = [ \"" + ecKey + "\", \"" + rsaKey + "\" ],\n certificates = [ { server-names = [ api.test ],"
                + " certificate = [ \"" + rsaChain + "\", \"" + ecChain + "\" ], key = [ \"" + rsaKey + "\", \"" + ecKey
                + "\" ] } ] }", ""), "porter.conf").listeners().get(0).tls();
        assertThat(tls.certificates()).hasSize(2);
        assertThat(tls.certificates().get(0).keys()).extracting(k -> k.leaf())
                .containsExactly(ec.certificate(), rsa.certificate());
        assertThat(tls.certificates().get(1).keys()).extracting(k -> k.leaf())
                .containsExactly(rsa.certificate(), ec.certificate());
    }

    @Test
    void listsThatDoNotPairOrRepeatAKeyTypeAreRefused() throws IOException {
        Path ecChain = ec.writeChain(dir.resolve("ec.pem"));
        Path ecKey = ec.writePkcs8Key(dir.resolve("ec.key"));
        Path rsaChain = rsa.writeChain(dir.resolve("rsa.pem"));
        TestPki.Issued ec2 = PKI.issue("localhost", List.of("localhost"), "EC");
        Path ec2Chain = ec2.writeChain(dir.resolve("ec2.pem"));
        Path ec2Key = ec2.writePkcs8Key(dir.resolve("ec2.key"));
        assertThatThrownBy(() -> ConfigLoader.parse(config("tls { certificate = [ \"" + ecChain + "\", \"" + rsaChain
                + "\" ],\n key = [ \"" + ecKey + "\" ] }", ""), "porter.conf"))
                .hasMessageContaining("porter.conf: 4: porter.listeners[].tls.key: names 1 file(s) for 2 certificate(s):"
                        + " give one key per certificate, in the same order");
        assertThatThrownBy(() -> ConfigLoader.parse(config("tls { certificate = [ \"" + ecChain + "\", \"" + ec2Chain
                + "\" ],\n key = [ \"" + ecKey + "\", \"" + ec2Key + "\" ] }", ""), "porter.conf"))
                .hasMessageContaining("porter.conf: 3: porter.listeners[].tls.certificate: has two certificates with EC keys"
                        + " for the same names");
        assertThatThrownBy(() -> ConfigLoader.parse(config("tls { certificate = [ \"" + ecChain + "\", \"\" ],"
                + " key = [ \"" + ecKey + "\", 7 ] }", ""), "porter.conf"))
                .hasMessageContaining("porter.listeners[].tls.certificate: each entry must be a file name, was empty")
                .hasMessageContaining("porter.listeners[].tls.key: each entry must be a file name, was number");
    }

    @Test
    void sniCertificatesNeedNamesAndKnownKeys() throws IOException {
        Path chain = ec.writeChain(dir.resolve("fullchain.pem"));
        Path key = ec.writePkcs8Key(dir.resolve("key.pem"));
        Path rsaChain = rsa.writeChain(dir.resolve("rsa.pem"));
        Path rsaKey = rsa.writePkcs8Key(dir.resolve("rsa.key"));
        ListenerTlsConfig ok = ConfigLoader.parse(config("tls { certificate = \"" + chain + "\", key = \"" + key + "\",\n"
                + " certificates = [ { server-names = [ RSA.test, \"*.rsa.test\" ], certificate = \"" + rsaChain
                + "\", key = \"" + rsaKey + "\" } ] }", ""), "porter.conf").listeners().get(0).tls();
        assertThat(ok.certificates()).hasSize(2);
        assertThat(ok.certificates().get(1).serverNames()).containsExactly("rsa.test", "*.rsa.test");

        String bad = config("tls { certificates = [ {\n server-names = [ \"bad name\" ],\n certificate = \"" + rsaChain
                + "\", key = \"" + rsaKey + "\",\n sever-names = [] } ] }", "");
        assertThatThrownBy(() -> ConfigLoader.parse(bad, "porter.conf"))
                .hasMessageContaining("porter.conf: 4: porter.listeners[].tls.certificates[].server-names: \"bad name\" is not a host name")
                .hasMessageContaining("porter.conf: 6: porter.listeners[].tls.certificates[].sever-names: unknown key");
    }

    @Test
    void upstreamTlsReadsItsTrustedCertificatesAndChecksItsName() throws IOException {
        Path ca = PKI.writeCertificate(dir.resolve("ca.pem"));
        UpstreamTlsConfig tls = ConfigLoader.parse(config("", "tls { enabled = true, trusted-certificates = \"" + ca
                + "\", server-name = \"App.Internal\" }"), "porter.conf").upstreams().get("app").tls();
        assertThat(tls.enabled()).isTrue();
        assertThat(tls.verify()).isTrue();
        assertThat(tls.trustedCertificates()).containsExactly(PKI.certificate());
        assertThat(tls.serverName()).isEqualTo("app.internal");

        Path missing = dir.resolve("missing-ca.pem");
        String bad = config("", "tls {\n enabled = true,\n trusted-certificates = \"" + missing + "\",\n server-name = \"app:8443\" }");
        assertThatThrownBy(() -> ConfigLoader.parse(bad, "porter.conf"))
                .hasMessageContaining("porter.conf: 9: porter.upstreams.app.tls.trusted-certificates: " + missing + ": no such file")
                .hasMessageContaining("porter.conf: 10: porter.upstreams.app.tls.server-name: \"app:8443\" is not a host name");
    }
}

package dev.porter.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.porter.config.ConfigLoader;
import dev.porter.testing.TestPki;
import dev.porter.pki.TlsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A TLS listener in the running process: the start-up line names the TLS provider, POST /reload re-reads certificates. */
class TlsProcessTest {
    private static final TestPki PKI = TestPki.ca("Process Test CA");

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> reload(int adminPort) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate served(int port) throws Exception {
        try (SSLSocket s = (SSLSocket) PKI.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void startLineNamesTheTlsProviderAndPostReloadSwapsTheCertificateOrRefusesABadOne() throws Exception {
        TestPki.Issued first = PKI.issue("localhost", List.of("localhost"), "EC");
        first.writeChain(dir.resolve("fullchain.pem"));
        first.writePkcs8Key(dir.resolve("key.pem"));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger processLogger = (Logger) LoggerFactory.getLogger(ProxyProcess.class);
        processLogger.addAppender(log);
        try {
            // No request goes upstream in this test: the upstream's address is never connected to.
            Path file = Files.writeString(dir.resolve("porter.conf"), """
                    porter {
                      workers = 1
                      listeners = [ { address = "127.0.0.1:0", tls { certificate = fullchain.pem, key = key.pem } } ]
                      upstreams { app { servers = [ { address = "127.0.0.1:9" } ] } }
                      routes = [ { path-prefix = "/", upstream = app } ]
                      admin.address = "127.0.0.1:0"
                      shutdown-timeout = 1s
                    }
                    """);
            ProxyProcess process = ProxyProcess.start(file, ConfigLoader.load(file),
                    new AccessLogSetup((LoggerContext) LoggerFactory.getILoggerFactory()), List.of());
            try {
                process.logStarted();
                int port = process.listenAddresses().get(0).getPort();
                assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(line -> assertThat(line)
                        .contains("127.0.0.1:" + port + " (TLS)")
                        .contains("TLS by " + TlsProvider.describe(TlsProvider.best())));
                assertThat(served(port)).isEqualTo(first.certificate());

                PKI.issue("localhost", List.of("localhost"), "EC").writePkcs8Key(dir.resolve("key.pem"));
                HttpResponse<String> refused = reload(process.adminAddress().getPort());
                assertThat(refused.statusCode()).isEqualTo(400);
                assertThat(refused.body()).contains("porter.conf: 3").contains("does not match the certificate");
                assertThat(served(port)).isEqualTo(first.certificate());

                TestPki.Issued second = PKI.issue("localhost", List.of("localhost"), "RSA");
                second.writeChain(dir.resolve("fullchain.pem"));
                second.writeTraditionalKey(dir.resolve("key.pem"));
                assertThat(reload(process.adminAddress().getPort()).statusCode()).isEqualTo(200);
                assertThat(served(port)).isEqualTo(second.certificate());
            } finally {
                process.stop();
            }
        } finally {
            processLogger.detachAppender(log);
        }
    }
}

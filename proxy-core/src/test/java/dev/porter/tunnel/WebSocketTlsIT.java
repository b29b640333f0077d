package dev.porter.tunnel;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.ScriptedUpstream;
import dev.porter.testing.TestPki;
import dev.porter.testing.WebSocketBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.porter.tunnel.TunnelBytes.HANDSHAKE;
import static dev.porter.tunnel.TunnelBytes.SWITCHING;
import static dev.porter.tunnel.TunnelBytes.ascii;
import static dev.porter.tunnel.TunnelBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebSockets for TLS clients: Porter terminates TLS on the listener (a certificate from a CA
 * made for the test, which the clients trust alone) and tunnels the decrypted bytes to a
 * plain upstream. The JDK's WebSocket client against Tomcat's echo endpoint for messages and
 * the closing handshake from either side; raw TLS sockets where the bytes matter: a handshake
 * and its first frame in one TLS record, and an upstream's half-close, which a TLS client
 * cannot be given (close_notify ends both directions) and gets as a clean close instead.
 */
class WebSocketTlsIT {
    private static final TestPki PKI = TestPki.ca("Porter Test CA");
    private static final HttpClient HTTPS = HttpClient.newBuilder().sslContext(PKI.clientContext()).build();
    @TempDir
    static Path dir;
    private static WebSocketBackend tomcat;
    private static String tls;

    @BeforeAll
    static void start() throws IOException {
        tomcat = WebSocketBackend.start();
        TestPki.Issued localhost = PKI.issue("localhost", List.of("localhost"), "EC");
        Path chain = localhost.writeChain(dir.resolve("fullchain.pem"));
        Path key = localhost.writePkcs8Key(dir.resolve("key.pem"));
        tls = "tls { certificate = \"" + chain + "\", key = \"" + key + "\" }";
    }

    @AfterAll
    static void stop() {
        tomcat.close();
    }

    private static PorterFixture porter(String server) {
        return PorterFixture.start(1, new String[] {server}, "", tls);
    }

    private static WebSocketClient connect(PorterFixture porter) {
        return WebSocketClient.connect(HTTPS, URI.create("wss://127.0.0.1:" + porter.address().getPort() + "/echo"));
    }

    /** A TLS connection to Porter, handshaken, verified against the test's CA. */
    private static SSLSocket tlsSocket(PorterFixture porter) throws IOException {
        SSLSocket s = (SSLSocket) PKI.clientContext().getSocketFactory().createSocket();
        s.setTcpNoDelay(true);
        s.connect(porter.address(), 5000);
        s.setSoTimeout(30_000);
        s.startHandshake();
        return s;
    }

    private static ClientSnapshot clients(PorterFixture porter) {
        return porter.status().clients().get(0);
    }

    private static PoolSnapshot pool(PorterFixture porter) {
        return porter.status().pools().get(0);
    }

    @Test
    void textBinaryAndAMegabyteEchoOverTlsAndTheClientsCloseEndsTheTunnel() throws Exception {
        try (PorterFixture porter = porter(tomcat.address())) {
            WebSocketClient c = connect(porter);
            c.ws.sendText("over tls", true).join();
            assertThat(c.next()).isEqualTo("over tls");
            byte[] bytes = {0, 1, 2, (byte) 0xff, 42};
            c.ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
            assertThat((byte[]) c.next()).isEqualTo(bytes);
            // Bigger than a TLS record and than the write buffer's high mark: many records, paused reads.
            byte[] big = new byte[1024 * 1024];
            new Random(11).nextBytes(big);
            c.ws.sendBinary(ByteBuffer.wrap(big), true).join();
            assertThat(Arrays.equals((byte[]) c.next(), big)).isTrue();
            assertThat(clients(porter).tunnels()).isEqualTo(1);

            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "client is done").join();
            assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            await().untilAsserted(() -> assertThat(tomcat.closes()).contains(1000));
            await().untilAsserted(() -> {
                assertThat(clients(porter).tunnels()).isZero();
                assertThat(clients(porter).open()).isZero();
                assertThat(pool(porter).tunnels()).isZero();
            });
        }
    }

    @Test
    void aCloseFromTheServerReachesTheTlsClientAndEndsTheTunnel() throws Exception {
        try (PorterFixture porter = porter(tomcat.address())) {
            WebSocketClient c = connect(porter);
            c.ws.sendText("close-me", true).join();
            assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            assertThat(c.closeReason).isEqualTo("bye");
            await().untilAsserted(() -> {
                assertThat(clients(porter).tunnels()).isZero();
                assertThat(clients(porter).open()).isZero();
                assertThat(pool(porter).tunnels()).isZero();
            });
        }
    }

    /** One TLS record carries the handshake and a frame: the frame is the session's first message. */
    @Test
    void aFrameInTheHandshakesTlsRecordIsTheFirstMessageTomcatGets() throws Exception {
        try (PorterFixture porter = porter(tomcat.address());
             SSLSocket client = tlsSocket(porter)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(concat(ascii(HANDSHAKE.replace("/raw", "/echo")), TunnelBytes.clientFrame(0x1, ascii("first"))));
            out.flush();
            assertThat(TunnelBytes.readHead(in)).startsWith("HTTP/1.1 101 ");
            assertThat(TunnelBytes.readFrame(in).text()).isEqualTo("first");

            out.write(TunnelBytes.clientFrame(0x8, TunnelBytes.closeCode(1000)));
            out.flush();
            TunnelBytes.Frame close = TunnelBytes.readFrame(in);
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.payload()).startsWith(TunnelBytes.closeCode(1000));
            assertThat(in.read()).as("a clean TLS close after Tomcat's").isEqualTo(-1);
        }
    }

    /**
     * The upstream half-closes: a plain client would get a FIN and could still send
     * ({@code WebSocketIT}); a TLS client gets what the upstream sent before its FIN, then the
     * close, and the tunnel ends with the upstream connection closed too.
     */
    @Test
    void anUpstreamsHalfCloseReachesATlsClientAsACleanCloseAfterWhatCameBeforeIt() throws Exception {
        CompletableFuture<byte[]> upstreamGotAfterItsFin = new CompletableFuture<>();
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> {
            conn.readRequest();
            conn.write(SWITCHING + "last-words");
            conn.socket().shutdownOutput();
            upstreamGotAfterItsFin.complete(conn.socket().getInputStream().readAllBytes());
        });
             PorterFixture porter = porter(origin.address());
             SSLSocket client = tlsSocket(porter)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(ascii(HANDSHAKE));
            out.flush();
            assertThat(TunnelBytes.readHead(in)).startsWith("HTTP/1.1 101 ");
            assertThat(new String(in.readNBytes(10), StandardCharsets.ISO_8859_1)).isEqualTo("last-words");
            assertThat(in.read()).as("an end of stream, not an error").isEqualTo(-1);
            // Porter closed the client connection rather than shutting down its TCP output under
            // TLS (which would leave both connections open, the upstream waiting): the tunnel is
            // over, and the upstream connection is closed too.
            assertThat(upstreamGotAfterItsFin.get(20, TimeUnit.SECONDS))
                    .as("what reached the upstream after its FIN").isEmpty();
            await().untilAsserted(() -> {
                assertThat(clients(porter).tunnels()).isZero();
                assertThat(clients(porter).open()).isZero();
                assertThat(pool(porter).tunnels()).isZero();
            });
        }
    }

    /**
     * A TLS client's close_notify without a TCP FIN (its TLS layered on a socket it keeps open)
     * ends its sending as a FIN would: the upstream gets what came before it, then its FIN, and
     * the tunnel ends once the upstream closes; the client, whose TLS session is over both ways,
     * sees the end of the stream.
     */
    @Test
    void aTlsClientsCloseNotifyAloneReachesTheUpstreamAsAFinAfterWhatItSent() throws Exception {
        CompletableFuture<byte[]> upstreamGot = new CompletableFuture<>();
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> {
            conn.readRequest();
            conn.write(SWITCHING);
            upstreamGot.complete(conn.socket().getInputStream().readAllBytes());
            conn.write("too-late");
        });
             PorterFixture porter = porter(origin.address());
             Socket tcp = TunnelBytes.connect(porter.address(), 0);
             SSLSocket client = (SSLSocket) PKI.clientContext().getSocketFactory()
                     .createSocket(tcp, "127.0.0.1", porter.address().getPort(), false)) {
            client.startHandshake();
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(ascii(HANDSHAKE));
            out.flush();
            assertThat(TunnelBytes.readHead(in)).startsWith("HTTP/1.1 101 ");
            out.write(ascii("from-the-client"));
            out.flush();
            // Layered with autoClose off: close_notify goes out, the TCP connection stays open both ways.
            client.shutdownOutput();
            assertThat(tcp.isOutputShutdown()).isFalse();

            assertThat(new String(upstreamGot.get(20, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1))
                    .isEqualTo("from-the-client");
            assertThat(in.read()).as("an end of stream, not an error").isEqualTo(-1);
            await().untilAsserted(() -> {
                assertThat(clients(porter).tunnels()).isZero();
                assertThat(clients(porter).open()).isZero();
                PoolSnapshot p = pool(porter);
                assertThat(p.tunnels()).isZero();
                // Porter passed the client's end on first.
                assertThat(p.closedBy().get(ClosedBy.PROXY)).isEqualTo(1);
                assertThat(p.closedReason().get(CloseReason.TUNNEL_CLOSED)).isEqualTo(1);
            });
        }
    }
}

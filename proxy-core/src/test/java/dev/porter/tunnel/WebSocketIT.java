package dev.porter.tunnel;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.StatusSnapshot;
import dev.porter.testing.AccessLogCapture;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import dev.porter.testing.WebSocketBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebSockets through a real Porter to a real Tomcat endpoint, with the JDK's WebSocket client:
 * the handshake crosses, the connections become a tunnel that carries messages both ways and
 * ends with either side's close or the tunnel timeout, and the upstream connection never goes
 * back to the pool. Raw-socket upstreams cover what Tomcat does not do: a 101 nobody asked for,
 * a half-close.
 */
class WebSocketIT {
    private static WebSocketBackend tomcat;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startTomcat() {
        tomcat = WebSocketBackend.start();
    }

    @AfterAll
    static void stopTomcat() {
        tomcat.close();
    }

    private static PorterFixture porter(String upstreamExtra) {
        return PorterFixture.start(1, new String[] {tomcat.address()}, upstreamExtra, "");
    }

    private static URI echo(PorterFixture porter) {
        return URI.create("ws://127.0.0.1:" + porter.address().getPort() + "/echo");
    }

    private static WebSocketClient connect(PorterFixture porter) {
        return WebSocketClient.connect(HTTP, echo(porter));
    }

    private static ClientSnapshot clients(PorterFixture porter) {
        return porter.status().clients().get(0);
    }

    private static PoolSnapshot pool(PorterFixture porter) {
        List<PoolSnapshot> pools = porter.status().pools();
        assertThat(pools).hasSize(1);
        return pools.get(0);
    }

    @Test
    void textAndBinaryMessagesEchoThroughTheTunnelWhichStatusShowsWhileItIsOpen() throws Exception {
        try (PorterFixture porter = porter("")) {
            WebSocketClient c = connect(porter);
            c.ws.sendText("hello", true).join();
            assertThat(c.next()).isEqualTo("hello");
            byte[] bytes = {0, 1, 2, (byte) 0xff, 42};
            c.ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
            assertThat((byte[]) c.next()).isEqualTo(bytes);

            StatusSnapshot status = porter.status();
            assertThat(status.clients().get(0).tunnels()).isEqualTo(1);
            assertThat(status.clients().get(0).active()).isZero();
            assertThat(status.clients().get(0).idle()).isZero();
            PoolSnapshot p = status.pools().get(0);
            assertThat(p.tunnels()).isEqualTo(1);
            assertThat(p.tunnelsOpened()).isEqualTo(1);
            assertThat(p.idle()).as("the tunnel's connection is not in the pool").isZero();
            assertThat(p.active()).isZero();
            assertThat(status.servers().get(0).open()).as("it still counts against max-conns").isEqualTo(1);

            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            await().untilAsserted(() -> {
                assertThat(clients(porter).tunnels()).isZero();
                assertThat(pool(porter).tunnels()).isZero();
            });
        }
    }

    @Test
    void aMegabyteMessageCrossesBothWaysWhole() throws Exception {
        try (PorterFixture porter = porter("")) {
            WebSocketClient c = connect(porter);
            byte[] big = new byte[1024 * 1024];
            new Random(7).nextBytes(big);
            c.ws.sendBinary(ByteBuffer.wrap(big), true).join();
            assertThat(Arrays.equals((byte[]) c.next(), big)).isTrue();

            char[] chars = new char[1024 * 1024];
            Arrays.fill(chars, 'w');
            String text = new String(chars);
            c.ws.sendText(text, true).join();
            assertThat(c.next()).isEqualTo(text);
            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
            c.closed.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCloseFromTheClientEndsTheTunnelAndTheConnectionNeverReturnsToThePool() throws Exception {
        try (PorterFixture porter = porter("");
             AccessLogCapture log = new AccessLogCapture()) {
            WebSocketClient c = connect(porter);
            c.ws.sendText("one", true).join();
            assertThat(c.next()).isEqualTo("one");
            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "client is done").join();
            assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            await().untilAsserted(() -> assertThat(tomcat.closes()).contains(1000));

            await().untilAsserted(() -> {
                PoolSnapshot p = pool(porter);
                assertThat(p.tunnels()).isZero();
                assertThat(p.idle()).isZero();
                assertThat(p.opened()).isEqualTo(1);
                assertThat(p.closedBy().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
                assertThat(clients(porter).tunnels()).isZero();
            });
            // The next request needs a connection of its own.
            assertThat(get(porter, "/hello")).startsWith("hello");
            assertThat(pool(porter).opened()).isEqualTo(2);

            await().untilAsserted(() -> assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                    .contains("\"GET /echo HTTP/1.1\" 101 ").contains("upstream=" + tomcat.address())
                    .containsPattern(" tunnel=\\d+\\.\\d{3} received=\\d+$")));
        }
    }

    @Test
    void aCloseFromTheServerEndsTheTunnelWithTheUpstreamClosingFirst() throws Exception {
        try (PorterFixture porter = porter("")) {
            WebSocketClient c = connect(porter);
            c.ws.sendText("close-me", true).join();
            assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            assertThat(c.closeReason).isEqualTo("bye");
            await().untilAsserted(() -> {
                PoolSnapshot p = pool(porter);
                assertThat(p.tunnels()).isZero();
                // Once the closing handshake is done both ends close their TCP side (RFC 6455 §7.1.1
                // wants the server first, the JDK's client does not wait for it): one close of the
                // upstream connection, counted as the tunnel's end, whichever FIN came first.
                assertThat(p.closedBy().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
                assertThat(p.closedReason().get(CloseReason.UPSTREAM_CLOSE) + p.closedReason().get(CloseReason.TUNNEL_CLOSED))
                        .isEqualTo(1);
                assertThat(clients(porter).tunnels()).isZero();
                assertThat(clients(porter).open()).isZero();
            });
        }
    }

    @Test
    void aTunnelIdleForTunnelTimeoutIsClosedOnBothSides() throws Exception {
        try (PorterFixture porter = porter("tunnel-timeout = 300ms")) {
            WebSocketClient c = connect(porter);
            c.ws.sendText("still here", true).join();
            assertThat(c.next()).isEqualTo("still here");
            // Nothing more is sent: the tunnel times out and Porter closes both connections.
            await().atMost(Duration.ofSeconds(20)).until(c::ended);
            await().untilAsserted(() -> {
                PoolSnapshot p = pool(porter);
                assertThat(p.tunnels()).isZero();
                assertThat(p.closedReason().get(CloseReason.TUNNEL_TIMEOUT)).isEqualTo(1);
                assertThat(p.closedBy().get(ClosedBy.PROXY)).isEqualTo(1);
                assertThat(clients(porter).open()).isZero();
            });
            await().untilAsserted(() -> assertThat(tomcat.closes()).contains(1006));
        }
    }

    @Test
    void aTunnelKeepsItsUpstreamConnectionAgainstMaxConnsAndMaxConnections() throws Exception {
        try (PorterFixture porter = porter("max-connections = 1, queue-timeout = 0s")) {
            WebSocketClient c = connect(porter);
            assertThat(rawGet(porter, "/hello").status).isEqualTo(503);
            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
            c.closed.get(10, TimeUnit.SECONDS);
            await().untilAsserted(() -> assertThat(pool(porter).tunnels()).isZero());
            assertThat(rawGet(porter, "/hello").status).isEqualTo(200);
        }
    }

    @Test
    void a101NobodyAskedForIsA502() throws Exception {
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> {
            conn.readRequest();
            conn.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
            conn.socket().getInputStream().read();
        });
             PorterFixture porter = PorterFixture.start(1, new String[] {origin.address()}, "", "")) {
            RawHttp.Response r = rawGet(porter, "/plain");
            assertThat(r.status).isEqualTo(502);
            assertThat(origin.requests().get(0)).doesNotContainIgnoringCase("upgrade");
        }
    }

    @Test
    void anH2cUpgradeIsStrippedAndTheRequestServedAsHttp11() throws Exception {
        try (PorterFixture porter = porter("");
             RawHttp raw = porter.connect()) {
            RawHttp.Response r = raw.send("GET /hello HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQAAP__\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello; upgrade=null\n");
            assertThat(clients(porter).tunnels()).isZero();
        }
    }

    @Test
    void aWebSocketHandshakeThatIsNotAGetIsRefusedWith400AndNeverForwarded() throws Exception {
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> conn.readRequest());
             PorterFixture porter = PorterFixture.start(1, new String[] {origin.address()}, "", "");
             RawHttp raw = porter.connect()) {
            RawHttp.Response r = raw.send("POST /echo HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(r.status).isEqualTo(400);
            assertThat(origin.connections()).isZero();
        }
    }

    @Test
    void aHalfCloseCrossesTheTunnelAndTheOtherSideCanStillAnswer() throws Exception {
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> {
            conn.readRequest();
            conn.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
            // Echo until the client's FIN arrives, then answer after it and close.
            byte[] all = conn.socket().getInputStream().readAllBytes();
            conn.write(new String(all, StandardCharsets.ISO_8859_1) + "|after-fin");
        });
             PorterFixture porter = PorterFixture.start(1, new String[] {origin.address()}, "", "");
             RawHttp raw = porter.connect()) {
            RawHttp.Response r = raw.send("GET /raw HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").read();
            assertThat(r.status).isEqualTo(101);
            assertThat(r.header("upgrade")).isEqualTo("websocket");
            assertThat(r.header("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(origin.requests().get(0)).contains("Upgrade: websocket\r\n").contains("Connection: upgrade\r\n")
                    .contains("X-Forwarded-For: 127.0.0.1\r\n");
            raw.send("bytes-from-the-client");
            raw.shutdownOutput();
            assertThat(new String(raw.readToEnd(), StandardCharsets.ISO_8859_1))
                    .isEqualTo("bytes-from-the-client|after-fin");
            await().untilAsserted(() -> {
                PoolSnapshot p = pool(porter);
                assertThat(p.tunnels()).isZero();
                // Porter passed the client's FIN on first.
                assertThat(p.closedBy().get(ClosedBy.PROXY)).isEqualTo(1);
                assertThat(p.closedReason().get(CloseReason.TUNNEL_CLOSED)).isEqualTo(1);
            });
        }
    }

    /**
     * Frames a client sends right behind its handshake wait in the connection's lent request
     * reader, as a pipelined request would; the upgrade hands them to the tunnel and the reader
     * back to the worker, whose next connection it then serves.
     */
    @Test
    void bytesSentWithTheHandshakeCrossTheTunnelAndTheNextConnectionIsServed() throws Exception {
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> {
            conn.readRequest();
            if (i > 0) {
                conn.ok("next");
                conn.socket().getInputStream().read();
                return;
            }
            conn.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
            byte[] all = conn.socket().getInputStream().readAllBytes();
            conn.write(new String(all, StandardCharsets.ISO_8859_1) + "|echoed");
        });
             PorterFixture porter = PorterFixture.start(1, new String[] {origin.address()}, "", "")) {
            try (RawHttp raw = porter.connect()) {
                RawHttp.Response r = raw.send("GET /raw HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\nearly-frames").read();
                assertThat(r.status).isEqualTo(101);
                raw.shutdownOutput();
                assertThat(new String(raw.readToEnd(), StandardCharsets.ISO_8859_1)).isEqualTo("early-frames|echoed");
            }
            await().untilAsserted(() -> assertThat(clients(porter).tunnels()).isZero());
            assertThat(get(porter, "/next")).isEqualTo("next");
            assertThat(origin.requests().get(1)).startsWith("GET /next HTTP/1.1\r\n");
        }
    }

    private static String get(PorterFixture porter, String path) throws Exception {
        try (RawHttp raw = porter.connect()) {
            return raw.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").read().bodyText();
        }
    }

    private static RawHttp.Response rawGet(PorterFixture porter, String path) throws Exception {
        try (RawHttp raw = porter.connect()) {
            return raw.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
        }
    }
}

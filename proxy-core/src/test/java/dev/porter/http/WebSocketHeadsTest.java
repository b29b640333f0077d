package dev.porter.http;

import dev.porter.client.ClientAddress;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamHttpVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The WebSocket handshake through the head writers: the one request whose Upgrade and Connection
 * cross the proxy, the malformed ones refused, and the 101 written back to the client.
 */
class WebSocketHeadsTest {
    private static final RouteConfig PLAIN = new RouteConfig("", "/", "app", Map.of(), List.of());
    private static final String HANDSHAKE = "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static MessageHead parse(boolean request, String raw) {
        HeadParser parser = new HeadParser(request, 8192, 65536);
        parser.begin();
        ByteBuf in = Unpooled.copiedBuffer(raw, ISO_8859_1);
        try {
            int n = parser.scan(in);
            assertThat(n).isPositive();
            return parser.take(in.readRetainedSlice(n));
        } finally {
            in.release();
        }
    }

    private static String upstream(String raw, UpstreamHttpVersion version, boolean last) {
        MessageHead head = parse(true, raw);
        ByteBuf out = UpstreamRequestHead.write(UnpooledByteBufAllocator.DEFAULT, head, PLAIN, version,
                ClientAddress.of(new InetSocketAddress("10.0.0.9", 4000)), "upstream:8080", last, false);
        head.release();
        String s = out.toString(ISO_8859_1);
        out.release();
        return s;
    }

    @Test
    void aWebSocketHandshakeCarriesUpgradeAndConnectionUpstream() {
        String out = upstream(HANDSHAKE, UpstreamHttpVersion.HTTP_1_1, false);
        assertThat(out).isEqualTo("GET /chat HTTP/1.1\r\nHost: example.com\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "X-Forwarded-For: 10.0.0.9\r\nX-Real-IP: 10.0.0.9\r\nX-Forwarded-Proto: http\r\n"
                + "X-Forwarded-Host: example.com\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
    }

    @Test
    void theConnectionsLastRequestStillAsksForTheUpgradeAndNotForAClose() {
        String out = upstream(HANDSHAKE, UpstreamHttpVersion.HTTP_1_1, true);
        assertThat(out).contains("Connection: upgrade\r\n").doesNotContain("close");
    }

    @Test
    void theWebSocketTokenIsFoundInAListInAnyCaseAndOnlyItCrosses() {
        String out = upstream("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c, WebSocket/13\r\nUpgrade: WebSocket\r\n"
                + "Connection: keep-alive, upgrade\r\n\r\n", UpstreamHttpVersion.HTTP_1_1, false);
        assertThat(out).contains("Upgrade: websocket\r\nConnection: upgrade\r\n").doesNotContain("h2c")
                .doesNotContain("WebSocket").doesNotContain("keep-alive");
    }

    @Test
    void otherUpgradeTokensAreStrippedAsEveryHopByHopField() {
        String out = upstream("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\n\r\n", UpstreamHttpVersion.HTTP_1_1, false);
        assertThat(out).doesNotContainIgnoringCase("upgrade").doesNotContainIgnoringCase("http2-settings")
                .endsWith("Connection: keep-alive\r\n\r\n");
    }

    @Test
    void anUpgradeFieldWithoutConnectionUpgradeIsNoHandshakeAndIsStripped() {
        MessageHead head = parse(true, "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
        assertThat(head.websocketUpgrade()).isFalse();
        head.release();
        String out = upstream("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n", UpstreamHttpVersion.HTTP_1_1, false);
        assertThat(out).doesNotContainIgnoringCase("upgrade").endsWith("Connection: keep-alive\r\n\r\n");
    }

    @Test
    void anHttp10RequestsUpgradeIsIgnoredAsRfc9110Says() {
        MessageHead head = parse(true, "GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
        assertThat(head.websocketUpgrade()).isFalse();
        head.release();
    }

    @Test
    void anHttp10UpstreamNeverGetsTheUpgrade() {
        String out = upstream(HANDSHAKE, UpstreamHttpVersion.HTTP_1_0, false);
        assertThat(out).startsWith("GET /chat HTTP/1.0\r\n").doesNotContainIgnoringCase("upgrade")
                .endsWith("Connection: close\r\n\r\n");
    }

    @Test
    void aWebSocketHandshakeThatIsNotAGetIsRefusedWith400() {
        assertRefused("POST /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                + "Content-Length: 0\r\n\r\n", "method POST");
    }

    @Test
    void aWebSocketHandshakeWithABodyIsRefusedWith400() {
        assertRefused("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                + "Content-Length: 5\r\n\r\n", "body");
        assertRefused("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", "body");
    }

    @Test
    void anEmptyContentLengthIsNoBody() {
        MessageHead head = parse(true, "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(head.websocketUpgrade()).isTrue();
        head.release();
    }

    @Test
    void aPostWithAnUpgradeOtherThanWebSocketIsAnOrdinaryRequest() {
        MessageHead head = parse(true, "POST / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: upgrade\r\n"
                + "Content-Length: 3\r\n\r\n");
        assertThat(head.websocketUpgrade()).isFalse();
        head.release();
    }

    @Test
    void theSwitchingHeadKeepsTheHandshakesFieldsAndSaysUpgradeOnce() {
        MessageHead response = parse(false, "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
                + "connection: upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "Sec-WebSocket-Protocol: chat\r\nKeep-Alive: timeout=5\r\n\r\n");
        assertThat(response.websocketUpgrade()).isTrue();
        ByteBuf out = ClientResponseHead.writeSwitching(UnpooledByteBufAllocator.DEFAULT, response);
        response.release();
        assertThat(out.toString(ISO_8859_1)).isEqualTo("HTTP/1.1 101 Switching Protocols\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n"
                + "Upgrade: websocket\r\nConnection: upgrade\r\n\r\n");
        out.release();
    }

    @Test
    void aResponseUpgradingToAnotherProtocolIsNoWebSocket() {
        MessageHead response = parse(false, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n");
        assertThat(response.websocketUpgrade()).isFalse();
        response.release();
    }

    private static void assertRefused(String raw, String reasonPart) {
        HeadParser parser = new HeadParser(true, 8192, 65536);
        parser.begin();
        ByteBuf in = Unpooled.copiedBuffer(raw, ISO_8859_1);
        try {
            assertThatThrownBy(() -> parser.scan(in))
                    .isInstanceOfSatisfying(RequestRejection.Exception.class, e -> {
                        assertThat(e.status().code()).isEqualTo(400);
                        assertThat(e.reason()).contains("WebSocket").contains(reasonPart);
                    });
        } finally {
            in.release();
            parser.begin();
        }
    }
}

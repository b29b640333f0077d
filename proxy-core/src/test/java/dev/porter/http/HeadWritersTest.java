package dev.porter.http;

import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamHttpVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

/** The heads Porter forwards: what crosses, what never does, what it adds. */
class HeadWritersTest {
    private static final RouteConfig PLAIN = new RouteConfig("", "/", "app", Map.of(), List.of());

    private static MessageHead parse(boolean request, String raw) {
        HeadParser parser = new HeadParser(request, 8192, 65536);
        parser.begin();
        ByteBuf in = Unpooled.copiedBuffer(raw, ISO_8859_1);
        int n = parser.scan(in);
        assertThat(n).isPositive();
        MessageHead head = parser.take(in.readRetainedSlice(n));
        in.release();
        return head;
    }

    private static String upstream(String raw, RouteConfig route, UpstreamHttpVersion version, boolean last) {
        MessageHead head = parse(true, raw);
        ByteBuf out = UpstreamRequestHead.write(UnpooledByteBufAllocator.DEFAULT, head, route, version,
                dev.porter.client.ClientAddress.of(new java.net.InetSocketAddress("10.0.0.9", 4000)),
                "upstream:8080", last, false);
        head.release();
        String s = out.toString(ISO_8859_1);
        out.release();
        return s;
    }

    @Test
    void theUpstreamRequestKeepsEndToEndFieldsAndDropsEveryHopByHopOne() {
        String out = upstream("POST /a?b HTTP/1.1\r\nHost: example.com\r\nConnection: close, X-Secret\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X-T\r\n"
                + "Upgrade: h2c\r\nX-Secret: s\r\nX-End-To-End:  kept \r\nContent-Length: 2\r\n\r\n",
                PLAIN, UpstreamHttpVersion.HTTP_1_1, false);
        assertThat(out).isEqualTo("POST /a?b HTTP/1.1\r\nHost: example.com\r\nX-End-To-End: kept\r\nContent-Length: 2\r\n"
                + "X-Forwarded-For: 10.0.0.9\r\nX-Real-IP: 10.0.0.9\r\nX-Forwarded-Proto: http\r\n"
                + "X-Forwarded-Host: example.com\r\nConnection: keep-alive\r\n\r\n");
    }

    @Test
    void forwardingFieldsAppendToTheClientsAndReplaceWhatItClaims() {
        String out = upstream("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2\r\n"
                + "X-Real-IP: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil\r\n\r\n",
                PLAIN, UpstreamHttpVersion.HTTP_1_1, false);
        assertThat(out).contains("X-Forwarded-For: 1.1.1.1, 2.2.2.2, 10.0.0.9\r\n").contains("X-Real-IP: 10.0.0.9\r\n")
                .contains("X-Forwarded-Proto: http\r\n").contains("X-Forwarded-Host: a\r\n")
                .doesNotContain("6.6.6.6").doesNotContain("evil").doesNotContain("https");
    }

    @Test
    void anAbsoluteFormTargetGoesInOriginFormWithItsAuthorityAsHost() {
        String out = upstream("GET http://example.com:8080/a HTTP/1.1\r\nHost: other\r\n\r\n", PLAIN,
                UpstreamHttpVersion.HTTP_1_1, false);
        assertThat(out).startsWith("GET /a HTTP/1.1\r\n").contains("Host: example.com:8080\r\n").doesNotContain("other");
    }

    @Test
    void aClientWithoutHostGetsTheServersNameAndRouteEditsApply() {
        RouteConfig route = new RouteConfig("", "/", "app", Map.of("X-Set", "v"), List.of("x-drop"));
        String out = upstream("GET / HTTP/1.0\r\nX-Drop: d\r\nx-set: old\r\n\r\n", route, UpstreamHttpVersion.HTTP_1_1, false);
        assertThat(out).contains("Host: upstream:8080\r\n").contains("X-Set: v\r\n").doesNotContain("old")
                .doesNotContainIgnoringCase("x-drop");
    }

    @Test
    void theLastRequestOfAConnectionAndHttp10UpstreamsSayClose() {
        assertThat(upstream("GET / HTTP/1.1\r\nHost: a\r\n\r\n", PLAIN, UpstreamHttpVersion.HTTP_1_1, true))
                .endsWith("Connection: close\r\n\r\n");
        assertThat(upstream("GET / HTTP/1.1\r\nHost: a\r\n\r\n", PLAIN, UpstreamHttpVersion.HTTP_1_0, false))
                .startsWith("GET / HTTP/1.0\r\n").endsWith("Connection: close\r\n\r\n");
    }

    @Test
    void aChunkedRequestStaysChunked() {
        assertThat(upstream("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", PLAIN,
                UpstreamHttpVersion.HTTP_1_1, false)).contains("Transfer-Encoding: chunked\r\n");
    }

    private static ClientResponseHead.Prepared client(String raw, HttpMethod method, boolean http10, boolean keepAlive) {
        MessageHead head = parse(false, raw);
        ClientResponseHead.Prepared p = ClientResponseHead.write(UnpooledByteBufAllocator.DEFAULT, head, method, http10, keepAlive);
        head.release();
        return p;
    }

    private static String text(ClientResponseHead.Prepared p) {
        String s = p.head().toString(ISO_8859_1);
        p.head().release();
        return s;
    }

    @Test
    void anUnknownLengthIsChunkedForHttp11ClientsAndClosesForHttp10Ones() {
        ClientResponseHead.Prepared p11 = client("HTTP/1.0 200 OK\r\nX: y\r\n\r\n", HttpMethod.GET, false, true);
        assertThat(p11.form()).isEqualTo(ClientResponseHead.BodyForm.CHUNK);
        assertThat(p11.keepAlive()).isTrue();
        assertThat(text(p11)).isEqualTo("HTTP/1.1 200 OK\r\nX: y\r\nTransfer-Encoding: chunked\r\n\r\n");

        ClientResponseHead.Prepared p10 = client("HTTP/1.0 200 OK\r\n\r\n", HttpMethod.GET, true, true);
        assertThat(p10.form()).isEqualTo(ClientResponseHead.BodyForm.AS_IS);
        assertThat(p10.keepAlive()).isFalse();
        assertThat(text(p10)).isEqualTo("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aChunkedBodyPassesToHttp11ClientsAndIsUnchunkedForHttp10Ones() {
        String raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive, X-Hop\r\nX-Hop: h\r\n"
                + "Keep-Alive: timeout=20\r\n\r\n";
        ClientResponseHead.Prepared p11 = client(raw, HttpMethod.GET, false, true);
        assertThat(p11.form()).isEqualTo(ClientResponseHead.BodyForm.AS_IS);
        assertThat(text(p11)).isEqualTo("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        ClientResponseHead.Prepared p10 = client(raw, HttpMethod.GET, true, true);
        assertThat(p10.form()).isEqualTo(ClientResponseHead.BodyForm.DECHUNK);
        assertThat(text(p10)).isEqualTo("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aKnownLengthKeepsAnHttp10KeepAliveClientAndHeadIsNotReframed() {
        ClientResponseHead.Prepared p = client("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", HttpMethod.GET, true, true);
        assertThat(text(p)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n");
        ClientResponseHead.Prepared head = client("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", HttpMethod.HEAD,
                false, true);
        assertThat(head.form()).isEqualTo(ClientResponseHead.BodyForm.NONE);
        assertThat(text(head)).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
    }

    @Test
    void aClosingConnectionSaysSo() {
        ClientResponseHead.Prepared p = client("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", HttpMethod.GET, false, false);
        assertThat(p.keepAlive()).isFalse();
        assertThat(text(p)).isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }
}

package dev.porter.server;

import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.TomcatBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP/1.1 proxying semantics against a real Tomcat, over real sockets. */
class ProxyingIT {
    private static TomcatBackend tomcat;
    private static PorterFixture porter;

    @BeforeAll
    static void start() {
        tomcat = TomcatBackend.start(60_000, -1);
        porter = PorterFixture.start(2, new String[] {tomcat.address()}, "", "max-body-size = 64m");
    }

    @AfterAll
    static void stop() {
        porter.close();
        tomcat.close();
    }

    private static String headersSeenUpstream(String request) throws Exception {
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send(request).read();
            assertThat(r.status).isEqualTo(200);
            return r.bodyText();
        }
    }

    @Test
    void hopByHopRequestHeadersNeverReachTheUpstream() throws Exception {
        String seen = headersSeenUpstream("GET /headers HTTP/1.1\r\nHost: app.example\r\n"
                + "Connection: keep-alive, X-Drop-Me\r\nX-Drop-Me: 1\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X-T\r\nUpgrade: websocket\r\n"
                + "X-Keep-Me: 2\r\n\r\n");
        assertThat(seen).doesNotContain("x-drop-me", "keep-alive:", "proxy-connection", "te:", "trailer:", "upgrade:")
                .doesNotContain("connection: close").contains("connection: keep-alive")
                .contains("x-keep-me: 2", "host: app.example", "protocol: HTTP/1.1");
    }

    @Test
    void forwardingHeadersAreAddedAndTheTargetIsForwardedByteForByte() throws Exception {
        String seen = headersSeenUpstream("GET /headers?a=%2F&b=c%20d HTTP/1.1\r\nHost: app.example:8000\r\n"
                + "X-Forwarded-For: 10.1.2.3\r\n\r\n");
        assertThat(seen).contains("x-forwarded-for: 10.1.2.3, 127.0.0.1", "x-real-ip: 127.0.0.1",
                "x-forwarded-proto: http", "x-forwarded-host: app.example:8000", "uri: /headers?a=%2F&b=c%20d");
    }

    @Test
    void hopByHopResponseHeadersAreStrippedAndTheBodyReframed() throws Exception {
        // Tomcat streams /bytes chunked; Porter re-chunks it for an HTTP/1.1 client.
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("GET /bytes?n=100000 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.body).hasSize(100_000);
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.header("keep-alive")).isNull();
            assertThat(r.header("connection")).isNull();
        }
    }

    @Test
    void http10ClientGetsACloseDelimitedBodyWhenTheLengthIsUnknown() throws Exception {
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("GET /bytes?n=5000 HTTP/1.0\r\nHost: t\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(r.body).hasSize(5000);
        }
    }

    @Test
    void http10ClientWithKeepAliveKeepsItsConnectionWhenTheLengthIsKnown() throws Exception {
        try (RawHttp c = porter.connect()) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertThat(r.status).isEqualTo(200);
                assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            }
        }
    }

    @Test
    void chunkedRequestBodyWithTrailersStreamsToTheUpstream() throws Exception {
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: text/plain\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello world");
        }
    }

    @Test
    void largeUploadAndDownloadStreamThroughIntact() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        try (RawHttp c = porter.connect()) {
            c.send(("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread writer = new Thread(() -> {
                try {
                    c.send(body);
                } catch (Exception ignored) {
                    // the read side reports the failure
                }
            });
            writer.start();
            RawHttp.Response r = c.read();
            writer.join(30_000);
            assertThat(r.status).isEqualTo(200);
            assertThat(Arrays.equals(r.body, body)).isTrue();
        }
    }

    @Test
    void fiftyMegabyteResponseStreams() throws Exception {
        try (RawHttp c = porter.connect()) {
            long n = c.send("GET /bytes?n=52428800 HTTP/1.1\r\nHost: t\r\n\r\n").readAndCountChunked();
            assertThat(n).isEqualTo(52_428_800L);
        }
    }

    @Test
    void headAnd204And304CarryNoBody() throws Exception {
        try (RawHttp c = porter.connect()) {
            RawHttp.Response head = c.send("HEAD /bytes?n=1000&length=1 HTTP/1.1\r\nHost: t\r\n\r\n").read(true);
            assertThat(head.status).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("1000");
            RawHttp.Response headChunked = c.send("HEAD /bytes?n=1000 HTTP/1.1\r\nHost: t\r\n\r\n").read(true);
            assertThat(headChunked.status).isEqualTo(200);
            RawHttp.Response noContent = c.send("GET /status?code=204 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(noContent.status).isEqualTo(204);
            RawHttp.Response notModified = c.send("GET /status?code=304 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(notModified.status).isEqualTo(304);
            // The connection is still in sync: no stray body bytes were sent.
            RawHttp.Response after = c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(after.bodyText()).isEqualTo("hello from tomcat\n");
        }
    }

    @Test
    void expectContinueWorksEndToEnd() throws Exception {
        try (RawHttp c = porter.connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response interim = c.read();
            assertThat(interim.status).isEqualTo(100);
            RawHttp.Response r = c.send("hello").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttp c = porter.connect()) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                batch.append("GET /status?code=200&body=r").append(i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            }
            c.send(batch.toString());
            for (int i = 0; i < 10; i++) {
                assertThat(c.read().bodyText()).isEqualTo("r" + i);
            }
        }
    }

    @Test
    void clientThatHalfClosesAfterItsRequestStillGetsTheResponse() throws Exception {
        try (RawHttp c = porter.connect()) {
            c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
            c.shutdownOutput();
            RawHttp.Response r = c.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void declaredOversizedBodyGets413WithoutReachingTomcat() throws Exception {
        int before = tomcat.requests();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999\r\n\r\n").read();
            assertThat(r.status).isEqualTo(413);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(tomcat.requests()).isEqualTo(before);
    }
}

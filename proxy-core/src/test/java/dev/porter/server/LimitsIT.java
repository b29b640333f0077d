package dev.porter.server;

import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import dev.porter.testing.RecordingUpstream.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every size limit answers with its own status, before anything over the limit reaches the
 * upstream, and ends the client connection: {@code max-request-line} (414),
 * {@code max-header-size} (431), {@code max-body-size} (413, for a declared length before
 * forwarding, for a chunked body as soon as it is exceeded), and the response header limit of
 * the upstream pipeline (502).
 */
class LimitsIT {
    private static final int MAX_REQUEST_LINE = 1024;
    private static final int MAX_HEADER_SIZE = 4096;
    private static final int MAX_BODY_SIZE = 1000;
    /** UpstreamChannelInitializer's limit for a response's field section. */
    private static final int MAX_RESPONSE_HEADER = 64 * 1024;
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";

    private static final AtomicInteger canaries = new AtomicInteger();
    private static RecordingUpstream upstream;
    private static PorterFixture porter;

    @BeforeAll
    static void start() throws IOException {
        upstream = new RecordingUpstream((connection, request) -> {
            if (request.target().startsWith("/big-response-head")) {
                StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
                for (int i = 0; head.length() < MAX_RESPONSE_HEADER + 1024; i++) {
                    head.append("X-Filler-").append(i).append(": ").append("a".repeat(1000)).append("\r\n");
                }
                return head.append("Content-Length: 5\r\n\r\nhello").toString();
            }
            return RecordingUpstream.ok("conn=" + connection + " " + request.target() + " " + request.bodyText().length());
        });
        porter = PorterFixture.start(1, new String[] {upstream.address()}, "",
                "max-request-line = " + MAX_REQUEST_LINE + ", max-header-size = " + MAX_HEADER_SIZE
                        + ", max-body-size = " + MAX_BODY_SIZE,
                "server-defaults.max-fails = 0");
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            assertThat(upstream.received()).noneMatch(r -> r.head().contains("/smuggled"));
        } finally {
            porter.close();
            upstream.close();
        }
    }

    @Test
    void aRequestLineOverMaxRequestLineGets414() throws IOException {
        assertRefusedBeforeForwarding(requestLineOf(MAX_REQUEST_LINE + 1) + "Host: t\r\n\r\n", 414);
    }

    @Test
    void aRequestLineOfExactlyMaxRequestLineIsAccepted() throws IOException {
        assertAccepted(requestLineOf(MAX_REQUEST_LINE) + "Host: t\r\n\r\n", "/long");
    }

    @Test
    void aHeaderBlockOverMaxHeaderSizeGets431() throws IOException {
        assertRefusedBeforeForwarding("GET / HTTP/1.1\r\n" + headersOf(MAX_HEADER_SIZE + 1) + "\r\n", 431);
    }

    @Test
    void aHeaderBlockSpreadOverManyFieldsOverMaxHeaderSizeGets431() throws IOException {
        StringBuilder fields = new StringBuilder("Host: t\r\n");
        for (int i = 0; i < 100; i++) {
            fields.append("X-F").append(i).append(": ").append("v".repeat(40)).append("\r\n");
        }
        assertRefusedBeforeForwarding("GET / HTTP/1.1\r\n" + fields + "\r\n", 431);
    }

    @Test
    void aHeaderBlockOfExactlyMaxHeaderSizeIsAccepted() throws IOException {
        assertAccepted("GET /fits HTTP/1.1\r\n" + headersOf(MAX_HEADER_SIZE) + "\r\n", "/fits");
    }

    @Test
    void aDeclaredBodyOverMaxBodySizeGets413BeforeAnythingIsForwarded() throws IOException {
        String head = "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + (MAX_BODY_SIZE + 1) + "\r\n\r\n";
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            // Only the head: the answer must not wait for the body.
            RawHttp.Response r = c.send(head).read();
            assertThat(r.status).isEqualTo(413);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertRefusedBeforeForwarding(head + "x".repeat(MAX_BODY_SIZE + 1), 413);
        assertThat(upstream.receivedSince(before)).extracting(Received::target).allMatch(t -> t.startsWith("/canary"));
    }

    @Test
    void aDeclaredBodyOfExactlyMaxBodySizeIsForwarded() throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + MAX_BODY_SIZE
                    + "\r\n\r\n" + "x".repeat(MAX_BODY_SIZE)).read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).endsWith(" /upload " + MAX_BODY_SIZE);
        }
        assertThat(upstream.receivedSince(before)).singleElement().satisfies(x -> assertThat(x.body()).hasSize(MAX_BODY_SIZE));
    }

    @Test
    void aChunkedBodyGets413AsSoonAsItExceedsMaxBodySizeAndItsUpstreamConnectionIsDiscarded() throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            // 1200 bytes in two chunks and no last chunk: the answer must not wait for the end.
            String chunk = Integer.toHexString(600) + "\r\n" + "x".repeat(600) + "\r\n";
            c.send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk);
            RawHttp.Response r = RequestSmugglingIT.readOrNull(c);
            assertThat(r).as("413 before the client connection closes").isNotNull();
            assertThat(r.status).isEqualTo(413);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertBodyNeverCompletedAndConnectionNotReused(before);
    }

    @Test
    void aChunkedBodyOverMaxBodySizeFollowedByAnotherRequestGets413AndNothingMore() throws IOException {
        int before = upstream.received().size();
        String chunk = Integer.toHexString(600) + "\r\n" + "x".repeat(600) + "\r\n";
        try (RawHttp c = porter.connect()) {
            c.send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n" + SMUGGLED);
            RawHttp.Response r = c.read();
            assertThat(r.status).isEqualTo(413);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertBodyNeverCompletedAndConnectionNotReused(before);
    }

    @Test
    void aResponseHeaderBlockOverTheUpstreamLimitGets502AndIsNotRelayed() throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("GET /big-response-head HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status).isEqualTo(502);
            assertThat(r.header("x-filler-0")).isNull();
        }
        Received canary = canary();
        List<Received> seen = upstream.receivedSince(before);
        assertThat(seen).extracting(Received::target).containsExactly("/big-response-head", canary.target());
        assertThat(canary.connection()).isNotEqualTo(seen.get(0).connection());
    }

    private static void assertBodyNeverCompletedAndConnectionNotReused(int before) throws IOException {
        Received canary = canary();
        for (Received x : upstream.receivedSince(before)) {
            if (x != canary) {
                assertThat(x.target()).isEqualTo("/upload");
                assertThat(x.complete()).as("the upstream never got the whole oversized body").isFalse();
                assertThat(canary.connection()).as("the upstream connection is not reused").isNotEqualTo(x.connection());
            }
        }
    }

    private static void assertRefusedBeforeForwarding(String bad, int status) throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send(bad + SMUGGLED).read();
            assertThat(r.status).isEqualTo(status);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        Received canary = canary();
        assertThat(upstream.receivedSince(before)).containsExactly(canary);
    }

    private static void assertAccepted(String request, String pathPrefix) throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send(request).read();
            assertThat(r.status).isEqualTo(200);
        }
        assertThat(upstream.receivedSince(before)).singleElement()
                .satisfies(x -> assertThat(x.target()).startsWith(pathPrefix));
    }

    /** {@code GET /long?aaa… HTTP/1.1\r\n} whose line, without CRLF, is {@code length} bytes. */
    private static String requestLineOf(int length) {
        String prefix = "GET /long?";
        String suffix = " HTTP/1.1";
        return prefix + "a".repeat(length - prefix.length() - suffix.length()) + suffix + "\r\n";
    }

    /** Host and a padding field whose lines, without CRLF, total {@code size} bytes. */
    private static String headersOf(int size) {
        String host = "Host: t";
        String name = "X-Pad: ";
        return host + "\r\n" + name + "p".repeat(size - host.length() - name.length()) + "\r\n";
    }

    private static Received canary() throws IOException {
        String path = "/canary-" + canaries.incrementAndGet();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
        }
        return upstream.received().stream().filter(x -> x.target().equals(path)).findFirst().orElseThrow();
    }
}

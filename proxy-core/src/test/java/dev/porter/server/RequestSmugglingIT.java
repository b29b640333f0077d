package dev.porter.server;

import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import dev.porter.testing.RecordingUpstream.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One test per request-smuggling rule: each sends {@code <bad request><valid request to
 * /smuggled>} in one write over a real socket, and asserts both what the client got (the
 * rule's status with {@code Connection: close}, then a closed connection) and what the
 * upstream received (nothing of it for rules about the head; for rules about a chunked body
 * at most the head, never {@code /smuggled}, and an upstream connection that is not reused).
 */
class RequestSmugglingIT {
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
    private static final AtomicInteger canaries = new AtomicInteger();

    private static RecordingUpstream upstream;
    private static PorterFixture porter;

    @BeforeAll
    static void start() throws IOException {
        upstream = new RecordingUpstream();
        // One worker: every request goes through the same pool, so reuse is observable.
        porter = PorterFixture.start(1, new String[] {upstream.address()}, "", "", "server-defaults.max-fails = 0");
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            assertThat(upstream.received()).as("no test ever got /smuggled through")
                    .noneMatch(r -> r.target().contains("/smuggled") || r.head().contains("/smuggled"));
        } finally {
            porter.close();
            upstream.close();
        }
    }

    static Stream<Arguments> headRules() {
        return Stream.of(
                // Content-Length and Transfer-Encoding (RFC 9112 §6.3)
                bad("Content-Length and Transfer-Encoding",
                        post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding and Content-Length",
                        post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "0\r\n\r\n"),
                bad("two differing Content-Length fields",
                        post("Content-Length: 5\r\nContent-Length: 6\r\n") + "hello!"),
                bad("two identical Content-Length fields",
                        post("Content-Length: 5\r\nContent-Length: 5\r\n") + "hello"),
                bad("Content-Length list of differing values", post("Content-Length: 5, 6\r\n") + "hello!"),
                bad("Content-Length list of equal values", post("Content-Length: 5, 5\r\n") + "hello"),
                bad("Content-Length +5", post("Content-Length: +5\r\n") + "hello"),
                bad("Content-Length -5", post("Content-Length: -5\r\n") + "hello"),
                bad("Content-Length hex 0x5", post("Content-Length: 0x5\r\n") + "hello"),
                bad("Content-Length empty", post("Content-Length: \r\n") + "hello"),
                bad("Content-Length with inner space", post("Content-Length: 1 0\r\n") + "helloworld"),
                bad("Content-Length 5.0", post("Content-Length: 5.0\r\n") + "hello"),
                bad("Content-Length over 63 bits", post("Content-Length: 9223372036854775808\r\n") + "hello"),
                bad("Content-Length far over 63 bits", post("Content-Length: 99999999999999999999999\r\n") + "hello"),
                bad("Content-Length with non-ASCII digit", post("Content-Length: \u00b95\r\n") + "hello"),
                // Transfer-Encoding (RFC 9112 §6.1)
                bad("Transfer-Encoding final coding not chunked",
                        post("Transfer-Encoding: chunked, gzip\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding gzip only", post("Transfer-Encoding: gzip\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding identity", post("Transfer-Encoding: identity\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding unknown coding", post("Transfer-Encoding: xchunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding gzip then chunked", post("Transfer-Encoding: gzip, chunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding chunked twice in one field",
                        post("Transfer-Encoding: chunked, chunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding in two fields",
                        post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding on HTTP/1.0",
                        "POST / HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                bad("Transfer-Encoding space before colon",
                        post("Transfer-Encoding : chunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding tab before colon",
                        post("Transfer-Encoding\t: chunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding leading comma", post("Transfer-Encoding: ,chunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding trailing comma", post("Transfer-Encoding: chunked,\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding NBSP before value",
                        post("Transfer-Encoding:\u00a0chunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding NBSP after value",
                        post("Transfer-Encoding: chunked\u00a0\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding vertical tab before value",
                        post("Transfer-Encoding:\u000bchunked\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding form feed after value",
                        post("Transfer-Encoding: chunked\f\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding quoted", post("Transfer-Encoding: \"chunked\"\r\n") + "0\r\n\r\n"),
                bad("Transfer-Encoding with parameter", post("Transfer-Encoding: chunked;q=1\r\n") + "0\r\n\r\n"),
                // Field syntax (RFC 9112 §2.2, §5)
                bad("obs-fold continuation line", get("X-A: 1\r\n  continued\r\n")),
                bad("obs-fold of Transfer-Encoding",
                        post("Transfer-Encoding:\r\n chunked\r\n") + "0\r\n\r\n"),
                bad("obs-fold with tab", get("X-A: 1\r\n\tcontinued\r\n")),
                bad("whitespace before the first header",
                        "GET / HTTP/1.1\r\n Host: t\r\n\r\n"),
                bad("tab before the first header",
                        "GET / HTTP/1.1\r\n\tX-A: 1\r\nHost: t\r\n\r\n"),
                bad("header line without a colon", get("X-No-Colon\r\n")),
                bad("empty field name", get(": value\r\n")),
                bad("field name with parenthesis", get("X(A): 1\r\n")),
                bad("field name with non-ASCII", get("X-\u00e9: 1\r\n")),
                bad("field name with NUL", get("X-A\u0000: 1\r\n")),
                bad("field name with slash", get("X/A: 1\r\n")),
                bad("NUL in a value", get("X-A: a\u0000b\r\n")),
                bad("bare CR in a value", get("X-A: a\rb\r\n")),
                bad("bare CR in a value hiding a header", get("X-A: a\rTransfer-Encoding: chunked\r\n")),
                bad("bare LF in a value", get("X-A: a\nTransfer-Encoding: chunked\r\n")),
                bad("bare LF line endings", "GET / HTTP/1.1\nHost: t\n\n"),
                bad("bare LF after the request line", "GET / HTTP/1.1\nHost: t\r\n\r\n"),
                bad("bare LF ending the head", "GET / HTTP/1.1\r\nHost: t\r\n\n"),
                bad("DEL in a value", get("X-A: a\u007fb\r\n")),
                // Request line
                bad("tab in the request line", "GET\t/ HTTP/1.1\r\nHost: t\r\n\r\n"),
                bad("two spaces in the request line", "GET  / HTTP/1.1\r\nHost: t\r\n\r\n"),
                bad("lowercase version", "GET / http/1.1\r\nHost: t\r\n\r\n"),
                bad("request line without version", "GET /\r\nHost: t\r\n\r\n"),
                // Host (RFC 9112 §3.2)
                bad("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n"),
                bad("two Host fields", "GET / HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n"),
                bad("two identical Host fields", "GET / HTTP/1.1\r\nHost: t\r\nHost: t\r\n\r\n"),
                bad("Host list", "GET / HTTP/1.1\r\nHost: t, u\r\n\r\n"),
                bad("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@t\r\n\r\n"),
                bad("absolute-form with userinfo", "GET http://u@t/ HTTP/1.1\r\nHost: t\r\n\r\n"),
                // Version (RFC 9110 §15.6.6)
                arguments("HTTP/1.2 is not supported", "GET / HTTP/1.2\r\nHost: t\r\n\r\n", 505),
                arguments("HTTP/2.0 is not supported", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
                arguments("HTTP/0.9 version is not supported", "GET / HTTP/0.9\r\nHost: t\r\n\r\n", 505));
    }

    static Stream<Arguments> chunkedBodyRules() {
        return Stream.of(
                arguments("chunk size with 0x prefix", chunked("0x5\r\nhello\r\n0\r\n\r\n")),
                arguments("negative chunk size", chunked("-5\r\nhello\r\n0\r\n\r\n")),
                arguments("chunk size overflowing 64 bits", chunked("10000000000000005\r\nhello\r\n0\r\n\r\n")),
                arguments("chunk size over 31 bits", chunked("80000005\r\nhello\r\n0\r\n\r\n")),
                arguments("chunk size with trailing garbage", chunked("5x\r\nhello\r\n0\r\n\r\n")),
                arguments("chunk size with trailing space and garbage", chunked("5 x\r\nhello\r\n0\r\n\r\n")),
                arguments("chunk size with leading space", chunked(" 5\r\nhello\r\n0\r\n\r\n")),
                arguments("empty chunk size", chunked("\r\nhello\r\n0\r\n\r\n")),
                arguments("chunk size ended by bare LF", chunked("5\nhello\r\n0\r\n\r\n")),
                arguments("chunk data longer than its size", chunked("3\r\nhello\r\n0\r\n\r\n")),
                arguments("chunk data not followed by CRLF", chunked("5\r\nhelloXX0\r\n\r\n")),
                arguments("chunk data followed by bare LF", chunked("5\r\nhello\n0\r\n\r\n")),
                arguments("chunk data followed by bare CR", chunked("5\r\nhello\r0\r\n\r\n")),
                arguments("bare CR in a chunk extension", chunked("5;a=b\rc\r\nhello\r\n0\r\n\r\n")),
                arguments("bare LF in a chunk extension", chunked("5;a=b\nc\r\nhello\r\n0\r\n\r\n")),
                arguments("NUL in a chunk extension", chunked("5;a=\u0000\r\nhello\r\n0\r\n\r\n")),
                arguments("last chunk ended by bare LF", chunked("5\r\nhello\r\n0\n\r\n")),
                arguments("trailer section ended by bare LF", chunked("5\r\nhello\r\n0\r\n\n")),
                arguments("obs-fold in the trailer section", chunked("5\r\nhello\r\n0\r\nX-T: 1\r\n folded\r\n\r\n")),
                arguments("trailer field without colon", chunked("5\r\nhello\r\n0\r\nX-T\r\n\r\n")));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("headRules")
    void aBadRequestHeadIsRefusedAndNothingOfItOrAfterItReachesTheUpstream(String rule, String bad, int status)
            throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            c.send(bad + SMUGGLED);
            RawHttp.Response r = c.read();
            assertThat(r.status).as(rule).isEqualTo(status);
            assertThat(r.header("connection")).as(rule).isEqualToIgnoringCase("close");
            assertThat(c.isClosedByPeer()).as("%s: connection closed after the error", rule).isTrue();
        }
        Received canary = canary();
        assertThat(upstream.receivedSince(before)).as(rule).containsExactly(canary);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkedBodyRules")
    void aBadChunkedBodyEndsTheExchangeAndTheUpstreamConnectionAndNothingAfterItIsProcessed(String rule, String bad)
            throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            c.send(bad + SMUGGLED);
            RawHttp.Response r = readOrNull(c);
            if (r != null) {
                assertThat(r.status).as(rule).isEqualTo(400);
                assertThat(r.header("connection")).as(rule).isEqualToIgnoringCase("close");
                assertThat(c.isClosedByPeer()).as("%s: connection closed after the error", rule).isTrue();
            }
        }
        Received canary = canary();
        List<Received> seen = upstream.receivedSince(before);
        assertThat(seen).as(rule).noneMatch(x -> x.target().contains("/smuggled"));
        for (Received x : seen) {
            if (x != canary) {
                assertThat(x.target()).as(rule).isEqualTo("/upload");
                assertThat(x.complete()).as("%s: the upstream never got a complete body: %s", rule, x).isFalse();
                assertThat(canary.connection()).as("%s: the upstream connection that carried the bad body is not reused", rule)
                        .isNotEqualTo(x.connection());
            }
        }
    }

    @Test
    void absoluteFormTargetIsForwardedInOriginFormWithHostFromTheAuthority() throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("GET http://other.example:8081/abs/path?q=1 HTTP/1.1\r\nHost: wrong.example\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).endsWith(" /abs/path?q=1");
            assertThat(r.header("connection")).isNull();
        }
        List<Received> seen = upstream.receivedSince(before);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).head()).startsWith("GET /abs/path?q=1 HTTP/1.1\r\n").doesNotContain("wrong.example");
        assertThat(seen.get(0).header("host")).isEqualTo("other.example:8081");
    }

    @Test
    void absoluteFormTargetWithoutPathIsForwardedAsSlash() throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            assertThat(c.send("GET http://other.example?x=1 HTTP/1.1\r\nHost: other.example\r\n\r\n").read().status)
                    .isEqualTo(200);
        }
        List<Received> seen = upstream.receivedSince(before);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).target()).isEqualTo("/?x=1");
        assertThat(seen.get(0).header("host")).isEqualTo("other.example");
    }

    @Test
    void tabsAroundFieldValuesAreAcceptedAndTrimmed() throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("POST /tabs HTTP/1.1\r\nHost:\tt\t\r\nX-Tab:\t \tvalue\t \r\n"
                    + "Content-Length:\t5\t\r\n\r\nhello" + "GET /after HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(c.read().status).as("the pipelined request after it is served too").isEqualTo(200);
        }
        List<Received> seen = upstream.receivedSince(before);
        assertThat(seen).extracting(Received::target).containsExactly("/tabs", "/after");
        assertThat(seen.get(0).header("x-tab")).isEqualTo("value");
        assertThat(seen.get(0).head()).contains("X-Tab: value\r\n");
        assertThat(seen.get(0).bodyText()).isEqualTo("hello");
    }

    @Test
    void aValidChunkedRequestAndThePipelinedOneAfterItAreBothForwardedIntact() throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            c.send(chunked("5;ext=1\r\nhello\r\n006\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")
                    + "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().status).isEqualTo(200);
            assertThat(c.read().status).isEqualTo(200);
        }
        List<Received> seen = upstream.receivedSince(before);
        assertThat(seen).extracting(Received::target).containsExactly("/upload", "/next");
        assertThat(seen.get(0).bodyText()).isEqualTo("hello world");
    }

    /** A fresh client connection's request; returns how the upstream received it. */
    private static Received canary() throws IOException {
        String path = "/canary-" + canaries.incrementAndGet();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).endsWith(" " + path);
        }
        return upstream.received().stream().filter(x -> x.target().equals(path)).findFirst().orElseThrow();
    }

    /** The response, or null when the connection was closed without one (allowed for body errors). */
    static RawHttp.Response readOrNull(RawHttp c) throws IOException {
        try {
            return c.read();
        } catch (java.io.EOFException | java.net.SocketException e) {
            return null;
        }
    }

    private static Arguments bad(String rule, String request) {
        return arguments(rule, request, 400);
    }

    private static String get(String headers) {
        return "GET / HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n";
    }

    private static String post(String headers) {
        return "POST / HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n";
    }

    private static String chunked(String body) {
        return "POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
    }
}

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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Responses from the upstream get the same scrutiny as requests: one that two parsers could
 * frame differently is answered with 502 and never relayed, bytes after a complete response
 * never become the next response, and the upstream connection it came on is never reused.
 * The upstream answers by request path with the raw bytes of {@link #RESPONSES}.
 */
class ResponseScrutinyIT {
    private static final String SMUGGLED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled";

    private static final Map<String, String> RESPONSES = Map.ofEntries(
            entry("/dup-cl", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" + SMUGGLED),
            entry("/dup-cl-same", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED),
            entry("/cl-list", "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello" + SMUGGLED),
            entry("/cl-plus", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello" + SMUGGLED),
            entry("/cl-hex", "HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\nhello" + SMUGGLED),
            entry("/cl-negative", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello" + SMUGGLED),
            entry("/cl-empty", "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\nhello" + SMUGGLED),
            entry("/cl-overflow", "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551621\r\n\r\nhello" + SMUGGLED),
            entry("/cl-te", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
            entry("/te-cl", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
            entry("/te-gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
            entry("/te-space-colon", "HTTP/1.1 200 OK\r\nTransfer-Encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
            entry("/garbage-status", "HTTP/1.1 2OO OK\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED),
            entry("/garbage-line", "hello there\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED),
            entry("/http09", "hello" + RecordingUpstream.THEN_CLOSE),
            entry("/lowercase-version", "http/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED),
            entry("/status-four-digits", "HTTP/1.1 2000 OK\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED),
            entry("/bare-lf", "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello" + SMUGGLED),
            entry("/obs-fold", "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED),
            entry("/no-colon", "HTTP/1.1 200 OK\r\nX-A\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED),
            entry("/nul-value", "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED),
            entry("/switching", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n" + SMUGGLED),
            entry("/http2", "HTTP/2.0 200 OK\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED),
            entry("/trailing", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + SMUGGLED),
            entry("/trailing-head", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n"),
            entry("/bad-chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n" + SMUGGLED));

    private static final AtomicInteger canaries = new AtomicInteger();
    private static RecordingUpstream upstream;
    private static PorterFixture porter;

    @BeforeAll
    static void start() throws IOException {
        upstream = new RecordingUpstream((connection, request) -> RESPONSES.getOrDefault(request.target(),
                RecordingUpstream.ok("conn=" + connection + " " + request.target())));
        porter = PorterFixture.start(1, new String[] {upstream.address()}, "", "", "server-defaults.max-fails = 0");
    }

    @AfterAll
    static void stop() throws IOException {
        porter.close();
        upstream.close();
    }

    static Stream<Arguments> badResponses() {
        return Stream.of(
                arguments("two differing Content-Length fields", "/dup-cl"),
                arguments("two identical Content-Length fields", "/dup-cl-same"),
                arguments("Content-Length list", "/cl-list"),
                arguments("Content-Length +5", "/cl-plus"),
                arguments("Content-Length hex", "/cl-hex"),
                arguments("Content-Length negative", "/cl-negative"),
                arguments("Content-Length empty", "/cl-empty"),
                arguments("Content-Length over 64 bits", "/cl-overflow"),
                arguments("Content-Length and Transfer-Encoding", "/cl-te"),
                arguments("Transfer-Encoding and Content-Length", "/te-cl"),
                arguments("Transfer-Encoding gzip, chunked", "/te-gzip"),
                arguments("Transfer-Encoding space before colon", "/te-space-colon"),
                arguments("garbage status code", "/garbage-status"),
                arguments("garbage status line", "/garbage-line"),
                arguments("HTTP/0.9 style response without a head", "/http09"),
                arguments("lowercase version", "/lowercase-version"),
                arguments("four-digit status", "/status-four-digits"),
                arguments("bare LF line endings", "/bare-lf"),
                arguments("obs-fold", "/obs-fold"),
                arguments("header line without a colon", "/no-colon"),
                arguments("NUL in a value", "/nul-value"),
                arguments("101 without an upgrade request", "/switching"),
                arguments("HTTP/2.0 version", "/http2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badResponses")
    void aBadResponseGets502IsNeverRelayedAndItsConnectionIsNotReused(String rule, String path) throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status).as(rule).isEqualTo(502);
            assertThat(r.bodyText()).as(rule).doesNotContain("hello", "smuggled");
            assertThat(r.header("content-length")).as(rule).isEqualTo(String.valueOf(r.body.length));
        }
        Received canary = canary();
        var seen = upstream.receivedSince(before);
        assertThat(seen).as("%s: sent once, never retried", rule).extracting(Received::target).containsExactly(path, canary.target());
        assertThat(canary.connection()).as("%s: the connection is not reused", rule).isNotEqualTo(seen.get(0).connection());
    }

    @Test
    void bytesAfterACompleteResponseNeverBecomeTheNextResponse() throws IOException {
        bytesAfterTheResponseAreDiscardedWithTheConnection("/trailing");
    }

    @Test
    void aPartialHeadAfterACompleteResponseNeverBecomesTheNextResponse() throws IOException {
        bytesAfterTheResponseAreDiscardedWithTheConnection("/trailing-head");
    }

    private static void bytesAfterTheResponseAreDiscardedWithTheConnection(String path) throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("ok");
            // The same client connection, and a fresh one: neither gets the stray bytes.
            RawHttp.Response next = c.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(next.status).isEqualTo(200);
            assertThat(next.bodyText()).doesNotContain("smuggled").endsWith(" /next");
        }
        Received canary = canary();
        var seen = upstream.receivedSince(before);
        assertThat(seen).extracting(Received::target).containsExactly(path, "/next", canary.target());
        assertThat(seen.get(1).connection()).as("the connection with stray bytes is not reused")
                .isNotEqualTo(seen.get(0).connection());
        assertThat(canary.connection()).isNotEqualTo(seen.get(0).connection());
    }

    @Test
    void aMalformedResponseChunkCutsTheClientConnectionAndTheUpstreamConnectionIsNotReused() throws IOException {
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            c.send("GET /bad-chunk HTTP/1.1\r\nHost: t\r\n\r\n");
            // The head was relayed before the body turned out bad: the client must see a cut
            // response, never a complete one, and nothing after it.
            try {
                RawHttp.Response r = c.read();
                throw new AssertionError("a response framed by a malformed chunk was completed: " + r.bodyText());
            } catch (IOException | NumberFormatException expected) {
                // cut short
            }
        }
        Received canary = canary();
        var seen = upstream.receivedSince(before);
        assertThat(seen).extracting(Received::target).containsExactly("/bad-chunk", canary.target());
        assertThat(canary.connection()).isNotEqualTo(seen.get(0).connection());
    }

    private static Received canary() throws IOException {
        String path = "/canary-" + canaries.incrementAndGet();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).endsWith(" " + path);
        }
        return upstream.received().stream().filter(x -> x.target().equals(path)).findFirst().orElseThrow();
    }
}

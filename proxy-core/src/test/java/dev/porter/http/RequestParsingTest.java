package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Requests parsed as the client connection parses them ({@link HeadParser} for heads,
 * {@link BodyFramer} for bodies): every request two HTTP/1.1 parsers could frame differently is
 * refused with its status, and nothing after it on the connection is ever parsed.
 */
class RequestParsingTest {
    private static final int MAX_LINE = 256;
    private static final int MAX_HEADERS = 1024;
    /** A valid request that must never be parsed once an earlier one failed. */
    private static final String FOLLOWING = "GET /smuggled HTTP/1.1\r\nHost: evil\r\n\r\n";

    private static final HttpResponseStatus BAD = HttpResponseStatus.BAD_REQUEST;
    private static final HttpResponseStatus VERSION = HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED;

    static Stream<Arguments> rejectedRequests() {
        return Stream.of(
                // Content-Length and Transfer-Encoding (RFC 9112 §6.1, §6.3)
                arguments("CL then TE", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("TE then CL", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("two differing CL fields", post("Content-Length: 5\r\nContent-Length: 6\r\n") + "hello!", BAD),
                arguments("two CL values in one line", post("Content-Length: 5, 6\r\n") + "hello!", BAD),
                arguments("identical CL values in one line", post("Content-Length: 5, 5\r\n") + "hello", BAD),
                arguments("identical CL fields", post("Content-Length: 5\r\nContent-Length: 5\r\n") + "hello", BAD),
                arguments("CL with a plus sign", post("Content-Length: +5\r\n") + "hello", BAD),
                arguments("CL in hex", post("Content-Length: 0x5\r\n") + "hello", BAD),
                arguments("empty CL", post("Content-Length:\r\n"), BAD),
                arguments("CL with inner space", post("Content-Length:  5 5\r\n") + "hello", BAD),
                arguments("negative CL", post("Content-Length: -1\r\n"), BAD),
                arguments("CL over 63 bits", post("Content-Length: 9223372036854775808\r\n"), BAD),
                arguments("CL far over 63 bits", post("Content-Length: 99999999999999999999999\r\n"), BAD),
                // Transfer-Encoding (RFC 9112 §6.1, §7)
                arguments("TE gzip", post("Transfer-Encoding: gzip\r\n") + "hello", BAD),
                arguments("TE chunked then gzip", post("Transfer-Encoding: chunked, gzip\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("TE gzip then chunked (unsupported coding)", post("Transfer-Encoding: gzip, chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("TE identity", post("Transfer-Encoding: identity\r\n") + "hello", BAD),
                arguments("chunked twice in one field", post("Transfer-Encoding: chunked, chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("chunked twice in two fields", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("TE on HTTP/1.0", "POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("space before the colon", post("Transfer-Encoding : chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("leading comma", post("Transfer-Encoding: , chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("trailing comma", post("Transfer-Encoding: chunked,\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("vertical tab before chunked", post("Transfer-Encoding: \u000bchunked\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("form feed after chunked", post("Transfer-Encoding: chunked\u000c\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("no-break space after chunked", post("Transfer-Encoding: chunked\u00a0\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("xchunked", post("Transfer-Encoding: xchunked\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("empty TE", post("Transfer-Encoding:\r\n"), BAD),
                // Field syntax (RFC 9112 §2.2, §5; RFC 9110 §5)
                arguments("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-Foo: a\r\n b\r\n\r\n", BAD),
                arguments("obs-fold of TE", post("Transfer-Encoding:\r\n chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n", BAD),
                arguments("whitespace before the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", BAD),
                arguments("tab before the first field", "GET / HTTP/1.1\r\n\tHost: a\r\n\r\n", BAD),
                arguments("field line without a colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", BAD),
                arguments("field line with a space and no colon", "GET / HTTP/1.1\r\nHost: a\r\nNo colon\r\n\r\n", BAD),
                arguments("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", BAD),
                arguments("field name with parenthesis", "GET / HTTP/1.1\r\nHost: a\r\nX(y): v\r\n\r\n", BAD),
                arguments("field name with quote", "GET / HTTP/1.1\r\nHost: a\r\nX\"y: v\r\n\r\n", BAD),
                arguments("field name with non-ASCII", "GET / HTTP/1.1\r\nHost: a\r\nX\u00e9: v\r\n\r\n", BAD),
                arguments("NUL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n", BAD),
                arguments("bare CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", BAD),
                arguments("DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u007fb\r\n\r\n", BAD),
                arguments("bare LF everywhere", "GET / HTTP/1.1\nHost: a\n\n", BAD),
                arguments("bare LF after the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", BAD),
                arguments("bare LF after a field line", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", BAD),
                arguments("bare LF ending the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", BAD),
                // Chunked framing (RFC 9112 §7.1)
                arguments("chunk size with 0x", chunked("0x5\r\nhello\r\n0\r\n\r\n"), BAD),
                arguments("negative chunk size", chunked("-5\r\nhello\r\n0\r\n\r\n"), BAD),
                arguments("chunk size with plus", chunked("+5\r\nhello\r\n0\r\n\r\n"), BAD),
                arguments("overflowing chunk size", chunked("fffffffffffffffff\r\nhello\r\n0\r\n\r\n"), BAD),
                arguments("chunk size over 31 bits", chunked("100000000\r\nhello\r\n0\r\n\r\n"), BAD),
                arguments("chunk size with trailing garbage", chunked("5x\r\nhello\r\n0\r\n\r\n"), BAD),
                arguments("chunk size with space and garbage", chunked("5 x\r\nhello\r\n0\r\n\r\n"), BAD),
                arguments("empty chunk size", chunked("\r\nhello\r\n0\r\n\r\n"), BAD),
                arguments("chunk data not followed by CRLF", chunked("5\r\nhelloXX\r\n0\r\n\r\n"), BAD),
                arguments("chunk data followed by bare LF", chunked("5\r\nhello\n0\r\n\r\n"), BAD),
                arguments("bare CR in a chunk extension", chunked("5;a\rb\r\nhello\r\n0\r\n\r\n"), BAD),
                arguments("bare LF after a chunk size", chunked("5\nhello\r\n0\r\n\r\n"), BAD),
                arguments("bare LF in the trailer section", chunked("5\r\nhello\r\n0\r\nX: y\n\r\n"), BAD),
                arguments("obs-fold in the trailer section", chunked("5\r\nhello\r\n0\r\nX: y\r\n z\r\n\r\n"), BAD),
                arguments("Content-Length in the trailer section", chunked("5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n"), BAD),
                arguments("Transfer-Encoding in the trailer section", chunked("5\r\nhello\r\n0\r\ntransfer-encoding: chunked\r\n\r\n"), BAD),
                arguments("trailer field without a colon", chunked("5\r\nhello\r\n0\r\nXy\r\n\r\n"), BAD),
                arguments("space before a trailer colon", chunked("5\r\nhello\r\n0\r\nX : y\r\n\r\n"), BAD),
                arguments("NUL in a trailer value", chunked("5\r\nhello\r\n0\r\nX: a\u0000b\r\n\r\n"), BAD),
                // Host (RFC 9112 §3.2)
                arguments("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", BAD),
                arguments("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", BAD),
                arguments("two identical Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", BAD),
                arguments("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", BAD),
                arguments("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", BAD),
                arguments("Host with a comma", "GET / HTTP/1.1\r\nHost: a,b\r\n\r\n", BAD),
                arguments("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", BAD),
                arguments("Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", BAD),
                arguments("Host with a bad port", "GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n", BAD),
                arguments("Host with an empty port", "GET / HTTP/1.1\r\nHost: a:\r\n\r\n", BAD),
                // Request line and version (RFC 9112 §2.3, §3; RFC 9110 §15.6.6)
                arguments("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", VERSION),
                arguments("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", VERSION),
                arguments("HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", VERSION),
                arguments("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", BAD),
                arguments("no version", "GET /\r\nHost: a\r\n\r\n", BAD),
                arguments("double space in the request line", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", BAD),
                arguments("tab in the request line", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", BAD),
                arguments("garbage request line", "\u0001\u0002\u0003\r\nHost: a\r\n\r\n", BAD),
                arguments("target in no known form", "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", BAD),
                arguments("fragment in the target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", BAD),
                arguments("asterisk without OPTIONS", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", BAD),
                arguments("absolute form with another scheme", "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", BAD),
                arguments("absolute form with userinfo", "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", BAD),
                arguments("CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", HttpResponseStatus.NOT_IMPLEMENTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedRequests")
    void rejectsTheRequestAndParsesNothingAfterItWhenBothArriveTogether(String name, String raw, HttpResponseStatus status) {
        Connection c = new Connection();
        c.feed(raw + FOLLOWING);
        c.assertRejectedWith(status);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedRequests")
    void rejectsTheRequestAndParsesNothingThatArrivesLater(String name, String raw, HttpResponseStatus status) {
        Connection c = new Connection();
        c.feed(raw);
        c.feed(FOLLOWING);
        c.assertRejectedWith(status);
    }

    @Test
    void rejectsARequestHeadThatArrivesOneByteAtATime() {
        Connection c = new Connection();
        String raw = post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "5\r\nhello\r\n0\r\n\r\n" + FOLLOWING;
        for (int i = 0; i < raw.length(); i++) {
            c.feed(raw.substring(i, i + 1));
        }
        c.assertRejectedWith(BAD);
    }

    @Test
    void answersARequestLineOverTheLimitWith414() {
        Connection c = new Connection();
        c.feed("GET /" + "a".repeat(MAX_LINE) + " HTTP/1.1\r\nHost: a\r\n\r\n" + FOLLOWING);
        c.assertRejectedWith(HttpResponseStatus.REQUEST_URI_TOO_LONG);
    }

    @Test
    void answersARequestLineOverTheLimitWith414BeforeItsEndArrives() {
        Connection c = new Connection();
        c.feed("GET /" + "a".repeat(MAX_LINE));
        assertThat(c.failure).isNotNull();
        c.feed(" HTTP/1.1\r\nHost: a\r\n\r\n" + FOLLOWING);
        c.assertRejectedWith(HttpResponseStatus.REQUEST_URI_TOO_LONG);
    }

    @Test
    void answersAHeaderSectionOverTheLimitWith431() {
        Connection c = new Connection();
        StringBuilder raw = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; raw.length() < MAX_HEADERS * 2; i++) {
            raw.append("X-Filler-").append(i).append(": ").append("v".repeat(40)).append("\r\n");
        }
        raw.append("\r\n");
        c.feed(raw + FOLLOWING);
        c.assertRejectedWith(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    void acceptsTabsAndSpacesAroundFieldValues() {
        Connection c = new Connection();
        c.feed("POST /a HTTP/1.1\r\nHost:\t example.com \t\r\nContent-Length: \t5\t \r\nX-Empty:\r\n\r\nhello");
        assertThat(c.failure).isNull();
        assertThat(c.hosts).containsExactly("example.com");
        assertThat(c.lengths).containsExactly(5L);
        assertThat(c.body.toString()).isEqualTo("hello");
        assertThat(c.ended).containsExactly(true);
    }

    @Test
    void framesAChunkedBodyWithExtensionsAndTrailersAsItCame() {
        Connection c = new Connection();
        String body = "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n";
        c.feed(chunked(body) + FOLLOWING);
        assertThat(c.failure).isNull();
        assertThat(c.targets).containsExactly("/", "/smuggled");
        assertThat(c.body.toString()).as("forwarded byte for byte").isEqualTo(body);
    }

    @Test
    void framesAChunkedBodyThatArrivesOneByteAtATime() {
        Connection c = new Connection();
        String body = "5\r\nhello\r\n0\r\n\r\n";
        String raw = chunked(body) + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
        for (int i = 0; i < raw.length(); i++) {
            c.feed(raw.substring(i, i + 1));
        }
        assertThat(c.failure).isNull();
        assertThat(c.targets).containsExactly("/", "/next");
        assertThat(c.body.toString()).isEqualTo(body);
    }

    @Test
    void acceptsChunkedInAnyLetterCase() {
        Connection c = new Connection();
        c.feed(post("Transfer-Encoding: Chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n" + FOLLOWING);
        assertThat(c.failure).isNull();
        assertThat(c.targets).hasSize(2);
    }

    @Test
    void readsAnAbsoluteFormRequestInOriginFormWithTheTargetsAuthorityAsHost() {
        Connection c = new Connection();
        c.feed("GET http://example.com:8080/a?b HTTP/1.1\r\nHost: other.example\r\n\r\n"
                + "GET HTTP://Example.com?q HTTP/1.0\r\n\r\n");
        assertThat(c.failure).isNull();
        assertThat(c.originTargets).containsExactly("/a?b", "/?q");
        assertThat(c.hosts).containsExactly("example.com:8080", "Example.com");
    }

    @Test
    void acceptsPipelinedRequestsAnEmptyLineBeforeARequestAndHttp10WithoutHost() {
        Connection c = new Connection();
        c.feed("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"
                + "POST /3 HTTP/1.0\r\nContent-Length: 2\r\n\r\nok");
        assertThat(c.failure).isNull();
        assertThat(c.targets).containsExactly("/1", "*", "/3");
        assertThat(c.body.toString()).isEqualTo("ok");
    }

    @Test
    void readsConnectionOptionsAndKeepAlive() {
        Connection c = new Connection();
        c.feed("GET /1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                + "GET /2 HTTP/1.0\r\nConnection: Keep-Alive, X-Secret\r\nX-Secret: s\r\n\r\n"
                + "GET /3 HTTP/1.0\r\n\r\n");
        assertThat(c.failure).isNull();
        assertThat(c.keepAlive).containsExactly(false, true, false);
    }

    private static String post(String fields) {
        return "POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n";
    }

    private static String chunked(String body) {
        return post("Transfer-Encoding: chunked\r\n") + body;
    }

    /** One client connection's bytes, parsed as ClientConnectionHandler does. */
    private static final class Connection {
        private final HeadParser parser = new HeadParser(true, MAX_LINE, MAX_HEADERS);
        private final BodyFramer framer = new BodyFramer(MAX_HEADERS);
        private ByteBuf in;
        private boolean inBody;
        RuntimeException failure;
        final List<String> targets = new ArrayList<>();
        final List<String> originTargets = new ArrayList<>();
        final List<String> hosts = new ArrayList<>();
        final List<Long> lengths = new ArrayList<>();
        final List<Boolean> keepAlive = new ArrayList<>();
        final List<Boolean> ended = new ArrayList<>();
        final StringBuilder body = new StringBuilder();

        void feed(String raw) {
            ByteBuf data = Unpooled.copiedBuffer(raw, ISO_8859_1);
            if (failure != null) {
                data.release();
                return;
            }
            in = in == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(UnpooledByteBufAllocator.DEFAULT, in, data);
            try {
                while (in.isReadable()) {
                    if (!inBody) {
                        if (!parser.inProgress()) {
                            parser.begin();
                        }
                        int n = parser.scan(in);
                        if (n < 0) {
                            break;
                        }
                        MessageHead head = parser.take(in.readRetainedSlice(n));
                        targets.add(head.target());
                        originTargets.add(head.originTarget());
                        hosts.add(head.host());
                        lengths.add(head.contentLength());
                        keepAlive.add(head.keepAlive());
                        framer.expectRequestBody(head);
                        inBody = !framer.done();
                        head.release();
                        continue;
                    }
                    int n = framer.frame(in);
                    body.append(in.toString(in.readerIndex(), n, ISO_8859_1));
                    in.skipBytes(n);
                    if (framer.done()) {
                        inBody = false;
                        ended.add(true);
                    } else if (n == 0) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            if (failure != null || !in.isReadable()) {
                in.release();
                in = null;
            }
        }

        void assertRejectedWith(HttpResponseStatus status) {
            assertThat(failure).as("the request is refused").isNotNull();
            assertThat(RequestRejection.statusFor(failure)).as("status for %s", failure).isEqualTo(status);
            assertThat(targets).as("requests parsed").doesNotContain("/smuggled").hasSizeLessThanOrEqualTo(1);
            if (in != null) {
                in.release();
            }
        }
    }
}

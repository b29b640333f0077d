package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
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

class ClientHttpCodecTest {
    private static final int MAX_LINE = 256;
    private static final int MAX_HEADERS = 1024;
    /** A valid request that must never be decoded once an earlier one failed. */
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
    void rejectsTheRequestAndDecodesNothingAfterItWhenBothArriveTogether(String name, String raw, HttpResponseStatus status) {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        List<HttpObject> decoded = decode(channel, raw + FOLLOWING);
        try {
            assertRejectedWith(decoded, status);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedRequests")
    void rejectsTheRequestAndDecodesNothingThatArrivesLater(String name, String raw, HttpResponseStatus status) {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        List<HttpObject> decoded = decode(channel, raw);
        decoded.addAll(decode(channel, FOLLOWING));
        try {
            assertRejectedWith(decoded, status);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void rejectsARequestHeadThatArrivesOneByteAtATime() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        String raw = post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "5\r\nhello\r\n0\r\n\r\n" + FOLLOWING;
        List<HttpObject> decoded = new ArrayList<>();
        for (int i = 0; i < raw.length(); i++) {
            decoded.addAll(decode(channel, raw.substring(i, i + 1)));
        }
        try {
            assertRejectedWith(decoded, BAD);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void answersARequestLineOverTheLimitWith414() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        String raw = "GET /" + "a".repeat(MAX_LINE) + " HTTP/1.1\r\nHost: a\r\n\r\n";
        List<HttpObject> decoded = decode(channel, raw + FOLLOWING);
        try {
            assertRejectedWith(decoded, HttpResponseStatus.REQUEST_URI_TOO_LONG);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void answersARequestLineOverTheLimitWith414BeforeItsEndArrives() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        List<HttpObject> decoded = decode(channel, "GET /" + "a".repeat(MAX_LINE));
        decoded.addAll(decode(channel, " HTTP/1.1\r\nHost: a\r\n\r\n" + FOLLOWING));
        try {
            assertRejectedWith(decoded, HttpResponseStatus.REQUEST_URI_TOO_LONG);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void answersAHeaderSectionOverTheLimitWith431() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        StringBuilder raw = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; raw.length() < MAX_HEADERS * 2; i++) {
            raw.append("X-Filler-").append(i).append(": ").append("v".repeat(40)).append("\r\n");
        }
        raw.append("\r\n");
        List<HttpObject> decoded = decode(channel, raw + FOLLOWING);
        try {
            assertRejectedWith(decoded, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void acceptsTabsAndSpacesAroundFieldValues() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        List<HttpObject> decoded = decode(channel,
                "POST /a HTTP/1.1\r\nHost:\t example.com \t\r\nContent-Length: \t5\t \r\nX-Empty:\r\n\r\nhello");
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            HttpRequest request = (HttpRequest) decoded.get(0);
            assertThat(request.headers().get(HttpHeaderNames.HOST)).isEqualTo("example.com");
            assertThat(request.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("5");
            assertThat(body(decoded)).isEqualTo("hello");
            assertThat(decoded.get(decoded.size() - 1)).isInstanceOf(LastHttpContent.class);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void acceptsAChunkedBodyWithTrailers() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        List<HttpObject> decoded = decode(channel,
                chunked("5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n") + FOLLOWING);
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            List<HttpRequest> requests = requests(decoded);
            assertThat(requests).extracting(HttpRequest::uri).containsExactly("/", "/smuggled");
            LastHttpContent last = decoded.stream().filter(LastHttpContent.class::isInstance)
                    .map(LastHttpContent.class::cast).findFirst().orElseThrow();
            assertThat(last.trailingHeaders().get("X-Checksum")).isEqualTo("abc");
            assertThat(body(decoded)).isEqualTo("hello world");
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void dropsFramingFieldsFromTheTrailerSection() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        // RFC 9110 §6.5.1: framing fields have no meaning in trailers; Netty drops them.
        List<HttpObject> decoded = decode(channel,
                chunked("5\r\nhello\r\n0\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nX: y\r\n\r\n"));
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            LastHttpContent last = (LastHttpContent) decoded.get(decoded.size() - 1);
            assertThat(last.trailingHeaders().names()).containsExactly("X");
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void acceptsChunkedInAnyLetterCase() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        List<HttpObject> decoded = decode(channel,
                post("Transfer-Encoding: Chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n" + FOLLOWING);
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            assertThat(requests(decoded)).hasSize(2);
            assertThat(body(decoded)).isEqualTo("hello");
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void rewritesAnAbsoluteFormRequestToOriginFormWithTheTargetsAuthorityAsHost() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        List<HttpObject> decoded = decode(channel,
                "GET http://example.com:8080/a?b HTTP/1.1\r\nHost: other.example\r\n\r\n"
                        + "GET HTTP://Example.com?q HTTP/1.0\r\n\r\n");
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            List<HttpRequest> requests = requests(decoded);
            assertThat(requests).extracting(HttpRequest::uri).containsExactly("/a?b", "/?q");
            assertThat(requests).extracting(r -> r.headers().getAll(HttpHeaderNames.HOST))
                    .containsExactly(List.of("example.com:8080"), List.of("Example.com"));
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void acceptsPipelinedRequestsAnEmptyLineBeforeARequestAndHttp10WithoutHost() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        List<HttpObject> decoded = decode(channel,
                "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"
                        + "POST /3 HTTP/1.0\r\nContent-Length: 2\r\n\r\nok");
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            assertThat(requests(decoded)).extracting(HttpRequest::uri).containsExactly("/1", "*", "/3");
            assertThat(body(decoded)).isEqualTo("ok");
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void encodesNoBodyAndNoChunkTerminatorForAChunkedResponseToHead() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHttpCodec(MAX_LINE, MAX_HEADERS));
        List<HttpObject> decoded = decode(channel,
                "HEAD /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
        release(decoded);

        // RFC 9110 §15.2: an interim response does not answer the HEAD request.
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertThat(readOutbound(channel)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");

        channel.writeOutbound(chunkedResponse(), new io.netty.handler.codec.http.DefaultLastHttpContent(
                Unpooled.copiedBuffer("hello", ISO_8859_1)));
        assertThat(readOutbound(channel)).isEqualTo("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");

        channel.writeOutbound(chunkedResponse(), new io.netty.handler.codec.http.DefaultLastHttpContent(
                Unpooled.copiedBuffer("hello", ISO_8859_1)));
        assertThat(readOutbound(channel))
                .isEqualTo("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private static HttpResponse chunkedResponse() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        return response;
    }

    /** Exactly one failure, the first request, with the status, and nothing decoded after it. */
    private static void assertRejectedWith(List<HttpObject> decoded, HttpResponseStatus status) {
        List<HttpObject> failures = decoded.stream().filter(o -> o.decoderResult().isFailure()).toList();
        assertThat(failures).as("failed messages in %s", decoded).hasSize(1);
        HttpObject failure = failures.get(0);
        assertThat(decoded.get(decoded.size() - 1)).as("the failure is the last object decoded").isSameAs(failure);
        assertThat(RequestRejection.statusFor(failure.decoderResult().cause()))
                .as("status for %s", failure.decoderResult().cause()).isEqualTo(status);
        assertThat(requests(decoded)).as("requests decoded").hasSize(1);
        assertThat(requests(decoded)).extracting(HttpRequest::uri).doesNotContain("/smuggled");
    }

    private static String post(String fields) {
        return "POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n";
    }

    private static String chunked(String body) {
        return post("Transfer-Encoding: chunked\r\n") + body;
    }

    static List<HttpObject> decode(EmbeddedChannel channel, String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, ISO_8859_1));
        List<HttpObject> decoded = new ArrayList<>();
        for (HttpObject o; (o = channel.readInbound()) != null; ) {
            decoded.add(o);
        }
        return decoded;
    }

    static String readOutbound(EmbeddedChannel channel) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            sb.append(b.toString(ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    private static List<HttpRequest> requests(List<HttpObject> decoded) {
        return decoded.stream().filter(HttpRequest.class::isInstance).map(HttpRequest.class::cast).toList();
    }

    static String body(List<HttpObject> decoded) {
        StringBuilder sb = new StringBuilder();
        for (HttpObject o : decoded) {
            if (o instanceof HttpContent content) {
                sb.append(content.content().toString(ISO_8859_1));
            }
        }
        return sb.toString();
    }

    static void release(List<HttpObject> decoded) {
        decoded.forEach(ReferenceCountUtil::release);
    }
}

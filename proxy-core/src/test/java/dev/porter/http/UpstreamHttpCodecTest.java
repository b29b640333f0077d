package dev.porter.http;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.porter.http.ClientHttpCodecTest.body;
import static dev.porter.http.ClientHttpCodecTest.decode;
import static dev.porter.http.ClientHttpCodecTest.readOutbound;
import static dev.porter.http.ClientHttpCodecTest.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class UpstreamHttpCodecTest {
    private static final String FOLLOWING = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled";

    static Stream<Arguments> rejectedResponses() {
        return Stream.of(
                arguments("garbage status line", "HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n"),
                arguments("no status line at all", "hello world\r\n\r\n"),
                arguments("status code out of range", "HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n"),
                arguments("unsupported version", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
                arguments("empty line before the status line", "\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                arguments("Content-Length not a number", "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n"),
                arguments("Content-Length with a sign", "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok"),
                arguments("differing Content-Length fields", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!"),
                arguments("differing Content-Length values", "HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok!"),
                arguments("both Content-Length and Transfer-Encoding",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                arguments("final coding not chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nok"),
                arguments("coding other than chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok"),
                arguments("bare LF line endings", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok"),
                arguments("obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 2\r\n\r\nok"),
                arguments("malformed chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\nok\r\n0\r\n\r\n"),
                arguments("101 without an upgrade request", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedResponses")
    void failsTheResponseAndDecodesNothingAfterIt(String name, String raw) {
        EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(256, 1024));
        send(channel, HttpMethod.GET);
        send(channel, HttpMethod.GET);
        List<HttpObject> decoded = decode(channel, raw);
        decoded.addAll(decode(channel, FOLLOWING));
        try {
            assertFailedOnce(decoded);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void failsOnResponseDataWhileNoRequestIsOutstanding() {
        EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(256, 1024));
        List<HttpObject> decoded = decode(channel, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        send(channel, HttpMethod.GET);
        decoded.addAll(decode(channel, FOLLOWING));
        try {
            assertFailedOnce(decoded);
            assertThat(decoded.get(0).decoderResult().cause()).isInstanceOf(CorruptedFrameException.class);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void failsOnBytesAfterACompleteResponseInsteadOfKeepingThemForTheNextRequest() {
        EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(256, 1024));
        send(channel, HttpMethod.GET);
        List<HttpObject> decoded = decode(channel, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + FOLLOWING);
        send(channel, HttpMethod.GET);
        decoded.addAll(decode(channel, FOLLOWING));
        try {
            assertThat(decoded.get(0).decoderResult().isSuccess()).isTrue();
            assertThat(decoded.get(1)).isInstanceOf(LastHttpContent.class);
            assertThat(decoded.get(1).decoderResult().isSuccess()).isTrue();
            assertThat(decoded).hasSize(3);
            assertThat(decoded.get(2).decoderResult().isFailure()).isTrue();
            assertThat(body(decoded.subList(0, 2))).isEqualTo("ok");
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void readsNoBodyInAResponseToHeadWhateverItsHeadersSay() {
        EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(256, 1024));
        send(channel, HttpMethod.HEAD);
        send(channel, HttpMethod.GET);
        send(channel, HttpMethod.HEAD);
        List<HttpObject> decoded = decode(channel,
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                        + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            assertThat(decoded.stream().filter(HttpResponse.class::isInstance)).hasSize(3);
            assertThat(decoded.stream().filter(LastHttpContent.class::isInstance)).hasSize(3);
            assertThat(body(decoded)).isEqualTo("ok");
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void passesInterimResponsesOnWithoutConsumingTheRequest() {
        EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(256, 1024));
        send(channel, HttpMethod.HEAD);
        List<HttpObject> decoded = decode(channel,
                "HTTP/1.1 100 Continue\r\n\r\n"
                        + "HTTP/1.1 102 Processing\r\n\r\n"
                        + "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            assertThat(decoded.stream().filter(HttpResponse.class::isInstance).map(r -> ((HttpResponse) r).status().code()))
                    .containsExactly(100, 102, 103, 200);
            assertThat(decoded.stream().filter(LastHttpContent.class::isInstance)).hasSize(4);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void acceptsAChunkedResponseWithTrailersAndAStatusLineWithoutReason() {
        EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(256, 1024));
        send(channel, HttpMethod.GET);
        send(channel, HttpMethod.GET);
        List<HttpObject> decoded = decode(channel,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: v\r\n\r\n"
                        + "HTTP/1.1 204\r\n\r\n");
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            assertThat(body(decoded)).isEqualTo("ok");
            assertThat(decoded.stream().filter(HttpResponse.class::isInstance)).hasSize(2);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void readsABodyWithoutLengthUntilTheConnectionCloses() {
        EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(256, 1024));
        send(channel, HttpMethod.GET);
        List<HttpObject> decoded = decode(channel, "HTTP/1.0 200 OK\r\n\r\nuntil close");
        try {
            assertThat(decoded).allMatch(o -> o.decoderResult().isSuccess());
            assertThat(body(decoded)).isEqualTo("until close");
            assertThat(channel.finish()).isTrue();
            Object last = channel.readInbound();
            assertThat(last).isInstanceOf(LastHttpContent.class);
            release(List.of((HttpObject) last));
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void failsAResponseHeadCutShortByTheCloseInsteadOfDroppingItSilently() {
        EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(256, 1024));
        send(channel, HttpMethod.GET);
        List<HttpObject> decoded = decode(channel, "HTTP/1.1 200 OK\r\nContent-Len");
        try {
            assertThat(decoded).isEmpty();
            assertThat(channel.finish()).isTrue();
            HttpObject failed = channel.readInbound();
            decoded.add(failed);
            assertThat(failed).isInstanceOf(HttpResponse.class);
            assertThat(failed.decoderResult().cause()).isInstanceOf(PrematureChannelClosureException.class);
        } finally {
            release(decoded);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    private static void send(EmbeddedChannel channel, HttpMethod method) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/");
        request.headers().set("Host", "upstream");
        assertThat(channel.writeOutbound(request)).isTrue();
        assertThat(readOutbound(channel)).startsWith(method.name() + " / HTTP/1.1\r\n");
    }

    /** Exactly one failure, the last object decoded, and no response after it. */
    private static void assertFailedOnce(List<HttpObject> decoded) {
        List<HttpObject> failures = decoded.stream().filter(o -> o.decoderResult().isFailure()).toList();
        assertThat(failures).as("failed messages in %s", decoded).hasSize(1);
        assertThat(decoded.get(decoded.size() - 1)).isSameAs(failures.get(0));
        assertThat(body(decoded)).doesNotContain("smuggled");
        assertThat(decoded.stream().filter(HttpResponse.class::isInstance)).hasSizeLessThanOrEqualTo(1);
    }
}

package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
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
 * Responses parsed as an upstream connection parses them ({@link HeadParser} for heads,
 * {@link BodyFramer} for bodies): as strict as requests, with the framing rules of responses
 * (no body for HEAD, 1xx, 204, 304; a body without length lasts until the close).
 */
class ResponseParsingTest {
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
                arguments("malformed chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\nok\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedResponses")
    void failsTheResponseAndParsesNothingAfterIt(String name, String raw) {
        Upstream u = new Upstream(false);
        u.feed(raw);
        u.feed(FOLLOWING);
        assertThat(u.failure).isNotNull();
        assertThat(u.body.toString()).doesNotContain("smuggled");
        assertThat(u.statuses).hasSizeLessThanOrEqualTo(1);
        u.close();
    }

    @Test
    void readsNoBodyInAResponseToHeadWhateverItsHeadersSay() {
        Upstream u = new Upstream(true);
        u.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        assertThat(u.failure).isNull();
        assertThat(u.ended).isEqualTo(1);
        assertThat(u.body.toString()).isEmpty();
        u.close();
    }

    @Test
    void interimResponsesHaveNoBodyAndTheFinalOneFollows() {
        Upstream u = new Upstream(false);
        u.feed("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 102 Processing\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(u.failure).isNull();
        assertThat(u.statuses).containsExactly(100, 102, 103, 200);
        assertThat(u.body.toString()).isEqualTo("hello");
        assertThat(u.ended).isEqualTo(1);
        u.close();
    }

    @Test
    void acceptsAChunkedResponseWithTrailersAndAStatusLineWithoutReason() {
        Upstream u = new Upstream(false);
        u.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: v\r\n\r\nHTTP/1.1 204\r\n\r\n");
        assertThat(u.failure).isNull();
        assertThat(u.statuses).containsExactly(200, 204);
        assertThat(u.body.toString()).isEqualTo("2\r\nok\r\n0\r\nX-T: v\r\n\r\n");
        assertThat(u.ended).isEqualTo(2);
        u.close();
    }

    @Test
    void aBodyWithoutLengthLastsUntilTheClose() {
        Upstream u = new Upstream(false);
        u.feed("HTTP/1.0 200 OK\r\n\r\nuntil close");
        assertThat(u.ended).isZero();
        assertThat(u.framer.endsAtClose()).isTrue();
        assertThat(u.body.toString()).isEqualTo("until close");
        u.close();
    }

    @Test
    void aLengthBodyCutShortByTheCloseIsNotComplete() {
        Upstream u = new Upstream(false);
        u.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
        assertThat(u.framer.endsAtClose()).isFalse();
        u.close();
    }

    @Test
    void readsTheKeepAliveHintAndConnectionClose() {
        Upstream u = new Upstream(false);
        u.feed("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=20, max=100\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        assertThat(u.keepAliveTimeouts).containsExactly(20L, -1L);
        assertThat(u.keepAlive).containsExactly(true, false);
        u.close();
    }

    /** One upstream connection's bytes, parsed as UpstreamHandler does. */
    private static final class Upstream {
        private final boolean headRequest;
        private final HeadParser parser = new HeadParser(false, 256, 1024);
        final BodyFramer framer = new BodyFramer(1024);
        private ByteBuf in;
        private boolean inBody;
        RuntimeException failure;
        int ended;
        final List<Integer> statuses = new ArrayList<>();
        final List<Long> keepAliveTimeouts = new ArrayList<>();
        final List<Boolean> keepAlive = new ArrayList<>();
        final StringBuilder body = new StringBuilder();

        Upstream(boolean headRequest) {
            this.headRequest = headRequest;
        }

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
                        statuses.add(head.status());
                        keepAliveTimeouts.add(head.keepAliveTimeout());
                        keepAlive.add(head.keepAlive());
                        framer.expectResponseBody(head, headRequest);
                        inBody = head.status() >= 200;
                        if (inBody && framer.done()) {
                            inBody = false;
                            ended++;
                        }
                        continue;
                    }
                    int n = framer.frame(in);
                    body.append(in.toString(in.readerIndex(), n, ISO_8859_1));
                    in.skipBytes(n);
                    if (framer.done()) {
                        inBody = false;
                        ended++;
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

        void close() {
            parser.begin();
            if (in != null) {
                in.release();
            }
        }
    }
}

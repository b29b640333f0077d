package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.internal.ObjectUtil;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * The HTTP/1.1 codec of the client pipeline: decodes requests strictly enough that no request
 * two parsers could frame differently is ever forwarded (RFC 9112 §6, §7; RFC 9110 §5), and
 * encodes responses knowing which request each one answers.
 *
 * <p>Pipeline position: first in the client pipeline, before the keep-alive handler and the
 * proxy handler. It behaves like Netty's {@code HttpServerCodec} with these differences:
 * <ul>
 * <li>Every request head is checked on the raw bytes by {@link MessageHeadScanner} before Netty
 *     parses it; Netty's own RFC 9112 checks ({@code strictLineParsing},
 *     {@code useRfc9112TransferEncoding}, no duplicate Content-Length) stay on behind it.</li>
 * <li>A request that fails is emitted once, as an {@link HttpRequest} whose
 *     {@link HttpRequest#decoderResult() decoderResult()} is a failure, and nothing more is
 *     decoded from the connection: every later byte is discarded. The cause is a
 *     {@link RequestRejection.Exception}, a {@link io.netty.handler.codec.http.TooLongHttpLineException},
 *     a {@link io.netty.handler.codec.http.TooLongHttpHeaderException} or an exception of Netty's
 *     parser; {@link RequestRejection#statusFor(Throwable)} maps it to the status to answer.
 *     A failure found in a chunked body arrives as a failed {@link LastHttpContent} instead,
 *     after the request head.</li>
 * <li>An absolute-form request ({@code GET http://host/a HTTP/1.1}) leaves the codec in origin
 *     form with {@code Host} set to the target's authority ({@link AbsoluteFormTarget}).</li>
 * </ul>
 *
 * <p>The encoder pairs responses with requests through a queue of request methods, as
 * {@code HttpServerCodec} does, so that a response to HEAD carries neither body nor chunk
 * terminator whatever its headers say (RFC 9110 §9.3.2). Interim 1xx responses do not answer a
 * request (RFC 9110 §15.2) and leave the queue alone.
 *
 * <p>Confined to the client channel's event loop; one instance per channel.
 */
public final class ClientHttpCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {
    /** Largest body piece emitted as one {@code HttpContent}. */
    static final int MAX_CHUNK_SIZE = 8192;

    /** Methods of the requests decoded and not answered yet, oldest first. */
    private final Queue<HttpMethod> methods = new ArrayDeque<>();

    /**
     * @param maxRequestLine longest request line accepted, in bytes, without its CRLF;
     *        longer ones fail with {@code TooLongHttpLineException} (414)
     * @param maxHeaderSize largest field section accepted, in bytes; larger ones fail with
     *        {@code TooLongHttpHeaderException} (431)
     */
    public ClientHttpCodec(int maxRequestLine, int maxHeaderSize) {
        ObjectUtil.checkPositive(maxRequestLine, "maxRequestLine");
        ObjectUtil.checkPositive(maxHeaderSize, "maxHeaderSize");
        init(new RequestDecoder(maxRequestLine, maxHeaderSize), new ResponseEncoder());
    }

    /** Netty's decoder with every RFC 9112 check it offers switched on. */
    static HttpDecoderConfig decoderConfig(int maxStartLine, int maxHeaderSize) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(maxStartLine)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(MAX_CHUNK_SIZE)
                .setChunkedSupported(true)
                .setValidateHeaders(true)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true);
    }

    private final class RequestDecoder extends HttpRequestDecoder {
        private final MessageFramingGuard guard;

        RequestDecoder(int maxRequestLine, int maxHeaderSize) {
            super(decoderConfig(maxRequestLine, maxHeaderSize));
            guard = new MessageFramingGuard(
                    new MessageHeadScanner(true, maxRequestLine, maxHeaderSize),
                    new ChunkedBodyScanner(maxHeaderSize),
                    // Like Netty's own invalid message: a placeholder request carrying the cause.
                    cause -> new DefaultFullHttpRequest(
                            HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request", Unpooled.EMPTY_BUFFER),
                    message -> onRequest((HttpRequest) message));
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            guard.decode(in, out, (buffer, objects) -> super.decode(ctx, buffer, objects));
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (guard.isRejected()) {
                in.skipBytes(in.readableBytes());
                return;
            }
            // Lets Netty report a body cut short by the close (PrematureChannelClosureException).
            super.decodeLast(ctx, in, out);
        }

        private void onRequest(HttpRequest request) {
            // Every request, failed ones too, gets a response: keep the pairing.
            methods.add(request.method());
            if (request.decoderResult().isSuccess()) {
                toOriginForm(request);
            }
        }

        /**
         * RFC 9112 §3.2.2: with an absolute-form target the target's authority is the host,
         * whatever a Host field says. The upstream gets the origin form and that authority.
         */
        private void toOriginForm(HttpRequest request) {
            String uri = request.uri();
            if (!AbsoluteFormTarget.isAbsoluteForm(uri)) {
                return;
            }
            // Already accepted by the head scanner, so parse does not throw here.
            AbsoluteFormTarget target = AbsoluteFormTarget.parse(uri);
            request.setUri(target.originForm());
            request.headers().set(HttpHeaderNames.HOST, target.authority());
        }
    }

    private final class ResponseEncoder extends HttpResponseEncoder {
        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse response) {
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // An interim response precedes the final one to the same request.
                return super.isContentAlwaysEmpty(response);
            }
            HttpMethod method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(response);
        }
    }
}

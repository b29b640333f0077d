package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.internal.ObjectUtil;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * The HTTP/1.1 codec of the upstream pipeline: encodes requests to the upstream and decodes its
 * responses strictly, pairing each response with the request it answers.
 *
 * <p>Pipeline position: first in the upstream pipeline, before the upstream idle handler and
 * the upstream handler. It behaves like Netty's {@code HttpClientCodec}: a queue of the methods
 * of the requests written tells the decoder that a response to HEAD has no body
 * (RFC 9110 §9.3.2) whatever its headers say. Interim responses (100, 102, 103; RFC 9110 §15.2)
 * are passed on, each as a response followed by an empty {@link LastHttpContent}, and do not
 * consume the queue. Responses to CONNECT are not supported (Porter never sends CONNECT).
 *
 * <p>Every response head is checked on the raw bytes by {@link MessageHeadScanner} before Netty
 * parses it: a garbage status line, an invalid or repeated Content-Length, both Content-Length
 * and Transfer-Encoding, a Transfer-Encoding other than a single {@code chunked}, bare LF,
 * obs-fold and control characters all make the response fail. So does
 * {@code 101 Switching Protocols}, since Porter never asks for an upgrade (RFC 9110 §15.2.2).
 *
 * <p><b>How failures are reported.</b> A failure is emitted as an {@link HttpResponse} (or, in
 * a chunked body, an {@link HttpObject}) whose {@code decoderResult()} is a failure; no
 * exception is fired. After it, nothing more is decoded and every byte is discarded: the
 * connection must not be reused. This includes bytes that arrive while no request is
 * outstanding: they cannot be a response to anything, and decoding them later would make them
 * the answer to the next request (response splitting), so they produce a failed response
 * (cause: {@link CorruptedFrameException}) at once. Other causes are a
 * {@link RequestRejection.Exception} from Porter's own checks (its status is meaningless for a
 * response: the proxy answers 502), a {@code TooLongHttpLineException} or
 * {@code TooLongHttpHeaderException}, or an exception of Netty's parser.
 *
 * <p>Confined to the upstream channel's event loop; one instance per channel.
 */
public final class UpstreamHttpCodec extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {

    /** Methods of the requests written and not answered yet, oldest first. */
    private final Queue<HttpMethod> methods = new ArrayDeque<>();

    /**
     * @param maxResponseLine longest status line accepted, in bytes, without its CRLF
     * @param maxHeaderSize largest field section accepted, in bytes
     */
    public UpstreamHttpCodec(int maxResponseLine, int maxHeaderSize) {
        ObjectUtil.checkPositive(maxResponseLine, "maxResponseLine");
        ObjectUtil.checkPositive(maxHeaderSize, "maxHeaderSize");
        init(new ResponseDecoder(maxResponseLine, maxHeaderSize), new RequestEncoder());
    }

    private final class ResponseDecoder extends HttpResponseDecoder {
        private final MessageFramingGuard guard;

        ResponseDecoder(int maxResponseLine, int maxHeaderSize) {
            super(ClientHttpCodec.decoderConfig(maxResponseLine, maxHeaderSize));
            guard = new MessageFramingGuard(
                    new MessageHeadScanner(false, maxResponseLine, maxHeaderSize),
                    new ChunkedBodyScanner(maxHeaderSize),
                    // A placeholder carrying the cause; its status means nothing.
                    cause -> new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY, Unpooled.EMPTY_BUFFER),
                    message -> { });
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (guard.isAtHead() && !guard.isRejected() && methods.isEmpty()) {
                // Nothing was asked: these bytes answer no request, and kept for later they
                // would become the response to the next one (response splitting).
                guard.reject(in, out, new CorruptedFrameException("response data while no request is outstanding"));
                return;
            }
            guard.decode(in, out, (buffer, objects) -> super.decode(ctx, buffer, objects));
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (guard.isRejected()) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (guard.isAtHead() && in.isReadable()) {
                // A response head cut short by the close (or an HTTP/0.9-style answer with no
                // head at all). Bytes of a response did arrive, so this is a malformed response:
                // reported as a plain close, it would pass for a pooled connection that died
                // idle, and the request would be replayed as if the upstream never saw it.
                guard.reject(in, out, new PrematureChannelClosureException("connection closed in the middle of a response head"));
                return;
            }
            // Ends a read-until-close body, or reports one cut short by the close.
            super.decodeLast(ctx, in, out);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage message) {
            HttpResponseStatus status = ((HttpResponse) message).status();
            if (status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                // Thrown inside Netty's header parsing, which turns it into a failed response.
                throw new CorruptedFrameException("101 Switching Protocols without an upgrade request");
            }
            if (status.codeClass() == HttpStatusClass.INFORMATIONAL) {
                // An interim response has no content and does not answer the request.
                return true;
            }
            HttpMethod method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(message);
        }
    }

    private final class RequestEncoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }
}

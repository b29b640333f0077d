package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Wraps the {@code decode} of a Netty HTTP decoder: lets a message head reach Netty only after
 * {@link MessageHeadScanner} accepted it, checks every chunked body Netty consumes with
 * {@link ChunkedBodyScanner}, and after the first failure discards every later byte, so that
 * nothing following a message that could be framed two ways is ever decoded.
 *
 * <p>Message boundaries are followed in what Netty emits (an {@link HttpMessage} starts a
 * message, a {@link LastHttpContent} ends it); Netty's own state is private. A head failure is
 * emitted as the message {@code invalidMessage} builds; a body failure drops the body pieces
 * decoded in the same call and ends the message with a failed {@link LastHttpContent}.
 * Failures Netty itself finds arrive as its failed messages and stop decoding the same way.
 *
 * <p>One per decoder, confined to the channel's event loop.
 */
final class MessageFramingGuard {

    /** Netty's decode, called when the guard lets bytes through. */
    interface Delegate {
        void decode(ByteBuf in, List<Object> out) throws Exception;
    }

    private final MessageHeadScanner heads;
    private final ChunkedBodyScanner bodies;
    private final Function<Exception, HttpMessage> invalidMessage;
    private final Consumer<HttpMessage> onMessage;

    /** True between messages: the next bytes start a message head. */
    private boolean atHead = true;
    /** True while the body of a chunked message is being decoded. */
    private boolean inChunkedBody;
    /** True after a failure: the connection is done. */
    private boolean rejected;

    /**
     * @param invalidMessage builds the failed message emitted for a head that is refused
     * @param onMessage sees every message head emitted, failed ones included, before it leaves
     */
    MessageFramingGuard(MessageHeadScanner heads, ChunkedBodyScanner bodies,
                        Function<Exception, HttpMessage> invalidMessage, Consumer<HttpMessage> onMessage) {
        this.heads = heads;
        this.bodies = bodies;
        this.invalidMessage = invalidMessage;
        this.onMessage = onMessage;
    }

    boolean isAtHead() {
        return atHead;
    }

    boolean isRejected() {
        return rejected;
    }

    void decode(ByteBuf in, List<Object> out, Delegate netty) throws Exception {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int headLength = 0;
        if (atHead) {
            try {
                headLength = heads.scan(in);
            } catch (RuntimeException e) {
                reject(in, out, e);
                return;
            }
            if (headLength < 0) {
                return;
            }
        }
        int first = out.size();
        netty.decode(in, out);
        checkChunkedBody(in, out, first, start + headLength);
        for (int i = first; i < out.size(); i++) {
            track((HttpObject) out.get(i));
        }
        if (rejected) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Emits {@code cause} as a failed message and stops decoding. */
    void reject(ByteBuf in, List<Object> out, Exception cause) {
        in.skipBytes(in.readableBytes());
        HttpMessage invalid = invalidMessage.apply(cause);
        invalid.setDecoderResult(DecoderResult.failure(cause));
        out.add(invalid);
        track(invalid);
    }

    private void checkChunkedBody(ByteBuf in, List<Object> out, int first, int bodyFrom) {
        boolean chunked = inChunkedBody;
        boolean ended = false;
        for (int i = first; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpMessage message && message.decoderResult().isSuccess()) {
                chunked = HttpUtil.isTransferEncodingChunked(message);
                bodies.reset();
            }
            if (o instanceof LastHttpContent last && last.decoderResult().isSuccess()) {
                ended = true;
            }
        }
        if (!chunked) {
            return;
        }
        try {
            if (in.readerIndex() > bodyFrom) {
                bodies.update(in, bodyFrom, in.readerIndex());
            }
            // A body Netty ends where these rules do not: the two disagree on the framing.
            if (ended && in.readerIndex() > bodyFrom && !bodies.isDone()) {
                throw new RequestRejection.Exception(HttpResponseStatus.BAD_REQUEST, "chunked body ended early");
            }
        } catch (RuntimeException e) {
            for (int i = out.size() - 1; i >= first; i--) {
                if (!(out.get(i) instanceof HttpMessage)) {
                    ReferenceCountUtil.release(out.remove(i));
                }
            }
            LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            failed.setDecoderResult(DecoderResult.failure(e));
            out.add(failed);
        }
    }

    private void track(HttpObject object) {
        if (object.decoderResult().isFailure()) {
            rejected = true;
        }
        if (object instanceof HttpMessage message) {
            atHead = false;
            inChunkedBody = message.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(message);
            onMessage.accept(message);
        }
        if (object instanceof LastHttpContent) {
            atHead = true;
            inChunkedBody = false;
            heads.reset();
        }
    }
}

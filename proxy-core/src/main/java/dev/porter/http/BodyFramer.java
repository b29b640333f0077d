package dev.porter.http;

import io.netty.buffer.ByteBuf;

/**
 * Finds where one message's body ends in the bytes that follow its head (RFC 9112 §6.3): a
 * Content-Length counts down, a chunked body is followed chunk by chunk (and checked, trailers
 * included, by {@link ChunkedBodyScanner}), a body delimited by the close lasts until the close.
 * The body itself is forwarded as the bytes it came in; only its end is the framer's business.
 *
 * <p>One per connection and direction, reset for each message. Confined to the event loop.
 */
public final class BodyFramer {
    /** How the body is delimited. */
    public enum Mode { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    private final int maxTrailerSize;
    private Mode mode = Mode.NONE;
    private long remaining;
    private long length;
    private ChunkedBodyScanner chunks;
    private boolean done = true;

    public BodyFramer(int maxTrailerSize) {
        this.maxTrailerSize = maxTrailerSize;
    }

    /** Starts a body: {@code length} counts for {@link Mode#LENGTH}. */
    public void expect(Mode mode, long length) {
        this.mode = mode;
        this.remaining = length;
        this.length = length;
        this.done = mode == Mode.NONE || mode == Mode.LENGTH && length == 0;
        if (mode == Mode.CHUNKED) {
            if (chunks == null) {
                chunks = new ChunkedBodyScanner(maxTrailerSize);
            }
            chunks.reset();
        }
    }

    /** The body of a request as its head frames it. */
    public void expectRequestBody(MessageHead request) {
        if (request.isChunked()) {
            expect(Mode.CHUNKED, 0);
        } else {
            expect(request.contentLength() > 0 ? Mode.LENGTH : Mode.NONE, Math.max(0, request.contentLength()));
        }
    }

    /** The body of a response to a request with {@code requestMethodHead} (no body whatever the head says), RFC 9112 §6.3. */
    public void expectResponseBody(MessageHead response, boolean requestMethodHead) {
        int status = response.status();
        if (requestMethodHead || status < 200 || status == 204 || status == 304) {
            expect(Mode.NONE, 0);
        } else if (response.isChunked()) {
            expect(Mode.CHUNKED, 0);
        } else if (response.contentLength() >= 0) {
            expect(Mode.LENGTH, response.contentLength());
        } else {
            expect(Mode.UNTIL_CLOSE, 0);
        }
    }

    /** Body bytes framed so far, chunk framing not counted. */
    public long bodyBytes() {
        return switch (mode) {
            case CHUNKED -> chunks.dataBytes();
            case LENGTH -> length - remaining;
            default -> 0;
        };
    }

    public Mode mode() {
        return mode;
    }

    /** Whether the body's last byte went by. */
    public boolean done() {
        return done;
    }

    /**
     * How many of {@code in}'s readable bytes belong to the body (checking a chunked body's
     * syntax as it goes); the rest, if any, is the next message. Does not move the reader index.
     *
     * @throws RequestRejection.Exception for a malformed chunked body
     */
    public int frame(ByteBuf in) {
        return frame(in, null);
    }

    /** As {@link #frame(ByteBuf)}, giving a chunked body's data (without its framing) to {@code sink}. */
    int frame(ByteBuf in, ChunkedBodyScanner.DataSink sink) {
        int readable = in.readableBytes();
        switch (mode) {
            case NONE -> {
                return 0;
            }
            case LENGTH -> {
                int n = (int) Math.min(remaining, readable);
                remaining -= n;
                done = remaining == 0;
                return n;
            }
            case CHUNKED -> {
                int start = in.readerIndex();
                int end = chunks.scan(in, start, start + readable, sink);
                done = chunks.isDone();
                return end - start;
            }
            default -> {
                return readable;
            }
        }
    }

    /** The connection closed: a body delimited by the close is complete; any other is cut short. */
    public boolean endsAtClose() {
        if (mode == Mode.UNTIL_CLOSE) {
            done = true;
        }
        return done;
    }
}

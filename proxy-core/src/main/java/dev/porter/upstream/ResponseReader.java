package dev.porter.upstream;

import dev.porter.http.BodyFramer;
import dev.porter.http.HeadParser;
import dev.porter.http.MessageHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts the bytes read from one upstream connection into responses for the {@link ResponseReceiver}
 * it serves: each head as parsed ({@link HeadParser}), the body as slices of what was read
 * ({@link BodyFramer}). What comes is checked as strictly as a request: a head two parsers could
 * frame differently, a body cut short, bytes that answer no request (they would become the
 * response to the next one: response splitting) make the response invalid, and nothing more is
 * parsed.
 *
 * <p>Owned by {@link UpstreamHandler}, which tells it whom the connection serves ({@link #serve},
 * {@link #stop}). Confined to the connection's event loop.
 */
final class ResponseReader {
    private static final int MAX_RESPONSE_LINE = 8192;
    private static final int MAX_RESPONSE_HEADER = 64 * 1024;

    /** What the owner does about bytes that answer no request: the connection must not be reused. */
    private final Runnable unexpected;
    private ResponseReceiver receiver;
    /** The request being answered is a HEAD: its response has no body whatever its head says. */
    private boolean requestHead;
    /** Bytes read and not yet consumed. */
    private ByteBuf in;
    private HeadParser parser;
    private BodyFramer body;
    /** A response head was parsed and its body is being read. */
    private boolean inBody;
    /** Something invalid came: nothing more is parsed. */
    private boolean invalid;

    ResponseReader(Runnable unexpected) {
        this.unexpected = unexpected;
    }

    /** The connection now serves {@code r}, whose request is a HEAD when {@code headRequest}. */
    void serve(ResponseReceiver r, boolean headRequest) {
        receiver = r;
        requestHead = headRequest;
    }

    /** The connection serves nobody. */
    void stop() {
        receiver = null;
    }

    /** Whom the connection serves, or null. */
    ResponseReceiver receiver() {
        return receiver;
    }

    /** A response is partly read: the rest of its head or of its body is still to come. */
    boolean partway() {
        return inBody || parser != null && parser.inProgress();
    }

    /** Something invalid came: the connection reads nothing more. */
    boolean invalid() {
        return invalid;
    }

    /**
     * The connection stops being HTTP (a 101 switched it, RFC 9110 §15.2.2): the bytes read
     * after the head just delivered, which belong to the protocol switched to, go to the
     * caller (who owns them), and nothing more is parsed here.
     *
     * @return those bytes, or null
     */
    ByteBuf takeRest() {
        receiver = null;
        ByteBuf rest = in;
        in = null;
        return rest;
    }

    /** Adds what was read and parses it into heads and body pieces for the receiver. */
    void read(ByteBufAllocator alloc, ByteBuf data) {
        in = in == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, in, data);
        process();
    }

    private void process() {
        while (in != null && in.isReadable() && !invalid) {
            ResponseReceiver r = receiver;
            if (r == null) {
                // The response ended and more came: it answers no request.
                in.skipBytes(in.readableBytes());
                unexpected.run();
                break;
            }
            if (!inBody) {
                if (!parseHead(r)) {
                    break;
                }
                continue;
            }
            int length;
            try {
                length = body.frame(in);
            } catch (RuntimeException e) {
                invalid("malformed response body: " + e.getMessage());
                break;
            }
            boolean last = body.done();
            if (length == 0 && !last) {
                break;
            }
            if (last) {
                inBody = false;
            }
            r.onResponseBody(in.readRetainedSlice(length), last);
        }
        if (in != null && !in.isReadable()) {
            in.release();
            in = null;
        }
    }

    /** @return whether a whole head was parsed (and handed to {@code r}) */
    private boolean parseHead(ResponseReceiver r) {
        if (parser == null) {
            parser = new HeadParser(false, MAX_RESPONSE_LINE, MAX_RESPONSE_HEADER);
            body = new BodyFramer(MAX_RESPONSE_HEADER);
        }
        if (!parser.inProgress()) {
            parser.begin();
        }
        int length;
        try {
            length = parser.scan(in);
        } catch (RuntimeException e) {
            invalid("malformed response: " + e.getMessage());
            return false;
        }
        if (length < 0) {
            return false;
        }
        MessageHead head = parser.take(in.readRetainedSlice(length));
        body.expectResponseBody(head, requestHead);
        inBody = head.status() >= 200;
        r.onResponseHead(head);
        head.release();
        if (inBody && body.done()) {
            inBody = false;
            if (receiver == r) {
                r.onResponseBody(Unpooled.EMPTY_BUFFER, true);
            }
        }
        return true;
    }

    private void invalid(String reason) {
        invalid = true;
        if (in != null) {
            in.release();
            in = null;
        }
        ResponseReceiver r = receiver;
        if (r != null) {
            r.onResponseInvalid(reason);
        } else {
            unexpected.run();
        }
    }

    /**
     * The connection closed. It ends a body delimited by the close; a head or any other body cut
     * short by it is an invalid response (reported as a plain close it would pass for a pooled
     * connection that died idle, and the request would be replayed as if the upstream never saw it).
     */
    void closed() {
        ResponseReceiver r = receiver;
        if (r != null && !invalid) {
            if (inBody && body.endsAtClose()) {
                inBody = false;
                r.onResponseBody(Unpooled.EMPTY_BUFFER, true);
            } else if (!inBody && parser != null && parser.inProgress()) {
                invalid("connection closed in the middle of a response head");
            }
        }
        if (in != null) {
            in.release();
            in = null;
        }
        if (parser != null) {
            parser.begin();
        }
    }
}

package dev.porter.server;

import dev.porter.http.BodyFramer;
import dev.porter.http.HeadParser;
import dev.porter.http.MessageHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts the bytes read from one client connection into requests: a head ({@link HeadParser}),
 * then its body as the pieces that came ({@link BodyFramer}), one request at a time. Bytes that
 * follow a complete request (a pipelined one) stay here until its {@link Sink} is ready for the
 * next request, so responses go in order. Nothing is decoded into header objects: a head stays
 * the bytes it came in, and body pieces are slices of what was read.
 *
 * <p>Lent to a {@link ClientConnectionHandler} by its {@link WorkerListener} from a request's first
 * byte until the connection is between requests with nothing read ({@link #idle}), so that an
 * idle connection holds none of it. Confined to the connection's event loop.
 */
final class RequestReader {

    /** Where requests go; its calls may re-enter {@link #process}, which then goes on where it stands. */
    interface Sink {
        /** Whether the next request must wait (a response is owed, or the connection is ending). */
        boolean holdNextRequest();

        /** Whether nothing more is to be parsed (a request could not be, or the connection is ending). */
        boolean stopped();

        /** A request head (its bytes the head's); {@code hasBody} when a body follows it. */
        void onHead(MessageHead head, boolean hasBody);

        /** A head broke the rules: {@code e} says how (see {@link dev.porter.http.RequestRejection}). */
        void onHeadRejected(RuntimeException e);

        /** {@code length} body bytes are ready: {@link #take} or {@link #skip} them; {@code last} ends the body. */
        void onBody(int length, boolean last);

        /** A chunked body broke the rules; the rest of the input was dropped. */
        void onBodyRejected(RuntimeException e);
    }

    private final int maxRequestLine;
    private final int maxHeaderSize;
    /** Bytes read and not yet consumed: a head in progress, body bytes, or a pipelined request. */
    private ByteBuf in;
    private HeadParser parser;
    private BodyFramer body;
    /** The current request's last byte was read (true between requests). */
    private boolean requestEnded = true;

    RequestReader(int maxRequestLine, int maxHeaderSize) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderSize = maxHeaderSize;
    }

    /** Whether the current request was read whole (true between requests). */
    boolean requestEnded() {
        return requestEnded;
    }

    /** Between requests, with nothing read and no head in progress: the reader can serve another connection. */
    boolean idle() {
        return in == null && requestEnded && (parser == null || !parser.inProgress());
    }

    /** Bytes of a next request wait behind a complete one. */
    boolean holding() {
        return requestEnded && in != null && in.isReadable();
    }

    /** Body bytes of the current request read so far. */
    long bodyBytes() {
        return body.bodyBytes();
    }

    /** Adds what was read; it is consumed by {@link #process}. */
    void add(ByteBufAllocator alloc, ByteBuf data) {
        in = in == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, in, data);
    }

    /** Consumes what was read: request heads, body bytes, and holds a pipelined request until its turn. */
    void process(Sink sink) {
        while (in != null && in.isReadable() && !sink.stopped()) {
            if (requestEnded) {
                if (sink.holdNextRequest() || !parseHead(sink)) {
                    break;
                }
            } else if (!readBody(sink)) {
                break;
            }
        }
        if (in != null && !in.isReadable()) {
            in.release();
            in = null;
        }
    }

    /** @return whether a whole head was parsed (and handed over) */
    private boolean parseHead(Sink sink) {
        if (parser == null) {
            parser = new HeadParser(true, maxRequestLine, maxHeaderSize);
            body = new BodyFramer(maxHeaderSize);
        }
        if (!parser.inProgress()) {
            parser.begin();
        }
        int length;
        try {
            length = parser.scan(in);
        } catch (RuntimeException e) {
            sink.onHeadRejected(e);
            return false;
        }
        if (length < 0) {
            return false;
        }
        MessageHead head = parser.take(in.readRetainedSlice(length));
        body.expectRequestBody(head);
        boolean hasBody = !body.done();
        requestEnded = !hasBody;
        sink.onHead(head, hasBody);
        return true;
    }

    /** @return whether body bytes were consumed */
    private boolean readBody(Sink sink) {
        int length;
        try {
            length = body.frame(in);
        } catch (RuntimeException e) {
            // A malformed chunked body: the request is ambiguous from here on and ends now.
            in.skipBytes(in.readableBytes());
            requestEnded = true;
            sink.onBodyRejected(e);
            return false;
        }
        boolean last = body.done();
        if (length == 0 && !last) {
            return false;
        }
        if (last) {
            requestEnded = true;
        }
        sink.onBody(length, last);
        return true;
    }

    /** The body bytes {@link Sink#onBody} announced, for the caller to own. */
    ByteBuf take(int length) {
        return in.readRetainedSlice(length);
    }

    /** Drops the body bytes {@link Sink#onBody} announced. */
    void skip(int length) {
        in.skipBytes(length);
    }

    /** Drops whatever was read and not consumed: nothing on this connection is parsed any more. */
    void discard() {
        if (in != null) {
            in.skipBytes(in.readableBytes());
        }
    }

    /**
     * The connection leaves HTTP (a 101 switched it to a WebSocket): nothing more is parsed, the
     * bytes read after the request go to the caller (they are the new protocol's), and the
     * parser is dropped without resetting its last head, which the exchange keeps. The reader is
     * {@link #idle} after it: the next connection it is lent to gets a parser of its own.
     *
     * @return those bytes (the caller owns them), or null
     */
    ByteBuf switchProtocols() {
        ByteBuf rest = in;
        in = null;
        parser = null;
        body = null;
        requestEnded = true;
        return rest;
    }

    /** The connection closed: lets go of the input and of the parser's head, and is ready for another connection. */
    void close() {
        if (in != null) {
            in.release();
            in = null;
        }
        if (parser != null) {
            parser.begin();
            // A head cut short leaves the scan where it stopped: start the next connection afresh.
            parser.reset();
        }
        requestEnded = true;
    }
}

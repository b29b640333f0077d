package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.TooLongHttpHeaderException;

import static dev.porter.http.HeadSyntax.isFieldValueChar;
import static dev.porter.http.HeadSyntax.isTokenChar;
import static dev.porter.http.HeadSyntax.reject;

/**
 * Checks the raw bytes of a chunked body (RFC 9112 §7.1) as Netty consumes them, trailer
 * section included.
 *
 * <p>Netty 4.2 with strict line parsing already refuses malformed chunk sizes, chunk data not
 * followed by CRLF and bare CR in extensions; this scanner repeats those rules so that Porter
 * does not depend on them, and adds what Netty lets through: a bare LF, obs-fold or a field that
 * is not {@code token ":" value} in the trailer section.
 *
 * <p>It is a byte-at-a-time state machine, so it reads the same whatever the segmentation of
 * the input. Used by {@link BodyFramer} and {@link Chunks}; confined to the channel's event loop.
 */
final class ChunkedBodyScanner {
    private enum State { SIZE, SIZE_DIGITS, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF,
        TRAILER_LINE_START, TRAILER_NAME, TRAILER_VALUE, TRAILER_LF, END_LF, DONE }

    /** Chunk sizes Netty accepts: at most {@code Integer.MAX_VALUE}. */
    private static final long MAX_CHUNK_SIZE = Integer.MAX_VALUE;

    private final int maxTrailerSize;
    private State state = State.SIZE;
    private long remaining;
    private int trailerBytes;
    /** Chunk data bytes seen, framing not counted: the body's size as max-body-size means it. */
    private long dataBytes;
    /** The trailer field name being read, lower case, up to a length that covers the framing fields' names. */
    private final StringBuilder trailerName = new StringBuilder(20);

    ChunkedBodyScanner(int maxTrailerSize) {
        this.maxTrailerSize = maxTrailerSize;
    }

    void reset() {
        state = State.SIZE;
        remaining = 0;
        trailerBytes = 0;
        dataBytes = 0;
    }

    long dataBytes() {
        return dataBytes;
    }

    /** Whether the last byte of the body (the CRLF ending the trailer section) was seen. */
    boolean isDone() {
        return state == State.DONE;
    }

    /** Where a dechunking reader wants the chunk data. */
    interface DataSink {
        /** {@code length} bytes of chunk data at {@code in[index]}. */
        void data(ByteBuf in, int index, int length);
    }

    /** Checks {@code in}'s bytes from {@code from} (inclusive) to {@code to} (exclusive). */
    void update(ByteBuf in, int from, int to) {
        int end = scan(in, from, to, null);
        if (end < to) {
            throw new IllegalStateException("bytes after the end of a chunked body");
        }
    }

    /**
     * Checks {@code in}'s bytes from {@code from} up to {@code to}, stopping after the body's last
     * byte; chunk data goes to {@code sink} when there is one.
     *
     * @return the index after the last byte that belongs to the body
     */
    int scan(ByteBuf in, int from, int to, DataSink sink) {
        for (int i = from; i < to; i++) {
            if (state == State.DONE) {
                return i;
            }
            if (state == State.DATA) {
                // Skip the data in one step: any byte is allowed in chunk data.
                int skip = (int) Math.min(remaining, to - i);
                if (sink != null) {
                    sink.data(in, i, skip);
                }
                dataBytes += skip;
                remaining -= skip;
                i += skip - 1;
                if (remaining == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            step(in.getByte(i) & 0xff);
        }
        return to;
    }

    private void step(int b) {
        switch (state) {
            case SIZE -> {
                int digit = Character.digit(b, 16);
                if (digit < 0) {
                    throw reject("chunk size is not hexadecimal");
                }
                remaining = digit;
                state = State.SIZE_DIGITS;
            }
            case SIZE_DIGITS -> {
                int digit = Character.digit(b, 16);
                if (digit >= 0) {
                    remaining = remaining * 16 + digit;
                    if (remaining > MAX_CHUNK_SIZE) {
                        throw reject("chunk size too large");
                    }
                } else if (b == ';') {
                    state = State.EXTENSION;
                } else if (b == '\r') {
                    state = State.SIZE_LF;
                } else {
                    // Not even BWS before ';': nothing needs it, and it is where parsers differ.
                    throw reject("garbage after the chunk size");
                }
            }
            case EXTENSION -> {
                if (b == '\r') {
                    state = State.SIZE_LF;
                } else if (!isFieldValueChar(b)) {
                    throw reject("invalid character in a chunk extension");
                }
            }
            case SIZE_LF -> {
                if (b != '\n') {
                    throw reject("bare CR after a chunk size");
                }
                state = remaining == 0 ? State.TRAILER_LINE_START : State.DATA;
            }
            case DATA_CR -> {
                if (b != '\r') {
                    throw reject("chunk data not followed by CRLF");
                }
                state = State.DATA_LF;
            }
            case DATA_LF -> {
                if (b != '\n') {
                    throw reject("chunk data not followed by CRLF");
                }
                state = State.SIZE;
            }
            case TRAILER_LINE_START -> {
                if (b == '\r') {
                    state = State.END_LF;
                } else if (b == ':' || !isTokenChar(b)) {
                    // Also obs-fold (a line starting with SP or HTAB), RFC 9112 §5.2.
                    throw reject("malformed trailer field");
                } else {
                    countTrailerByte();
                    trailerName.setLength(0);
                    trailerName.append((char) lower(b));
                    state = State.TRAILER_NAME;
                }
            }
            case TRAILER_NAME -> {
                countTrailerByte();
                if (b == ':') {
                    // RFC 9110 §6.5.1: framing fields have no business in trailers; the trailer
                    // section passes to the upstream as it came, so they are refused, not dropped.
                    String name = trailerName.toString();
                    if (name.equals("content-length") || name.equals("transfer-encoding")) {
                        throw reject("framing field in the trailer section");
                    }
                    state = State.TRAILER_VALUE;
                } else if (!isTokenChar(b)) {
                    throw reject("malformed trailer field name");
                } else if (trailerName.length() < 20) {
                    trailerName.append((char) lower(b));
                }
            }
            case TRAILER_VALUE -> {
                countTrailerByte();
                if (b == '\r') {
                    state = State.TRAILER_LF;
                } else if (!isFieldValueChar(b)) {
                    throw reject("invalid character in a trailer field");
                }
            }
            case TRAILER_LF -> {
                if (b != '\n') {
                    throw reject("bare CR in the trailer section");
                }
                state = State.TRAILER_LINE_START;
            }
            case END_LF -> {
                if (b != '\n') {
                    throw reject("bare CR ending the trailer section");
                }
                state = State.DONE;
            }
            case DONE -> throw new IllegalStateException("bytes after the end of a chunked body");
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void countTrailerByte() {
        if (++trailerBytes > maxTrailerSize) {
            throw new TooLongHttpHeaderException("HTTP trailer section is larger than " + maxTrailerSize + " bytes.");
        }
    }

    private static int lower(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }
}

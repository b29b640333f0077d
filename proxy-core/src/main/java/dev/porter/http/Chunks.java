package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Chunked transfer coding (RFC 9112 §7.1) for the two cases where a body must change its framing
 * on the way to the client: a body delimited by the close, chunked by Porter for an HTTP/1.1
 * client ({@link #frame}, {@link #last}); a chunked body, unchunked for an HTTP/1.0 client
 * ({@link Dechunker}). Everything else passes as it came.
 */
public final class Chunks {
    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII))).asReadOnly();
    private static final ByteBuf LAST = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).asReadOnly();

    private Chunks() {
    }

    /** The size line that goes before a chunk of {@code size} bytes. */
    public static ByteBuf sizeLine(ByteBufAllocator alloc, int size) {
        String hex = Integer.toHexString(size);
        ByteBuf out = alloc.buffer(hex.length() + 2);
        ByteBufUtil.writeAscii(out, hex);
        out.writeShort(HeadWriter.CRLF);
        return out;
    }

    /** The CRLF after a chunk's data. */
    public static ByteBuf crlf() {
        return CRLF.duplicate();
    }

    /** The last chunk, with no trailer. */
    public static ByteBuf last() {
        return LAST.duplicate();
    }

    /** Removes the chunk framing of one chunked body, piece by piece, as it passes. */
    public static final class Dechunker {
        private final ChunkedBodyScanner scanner;

        public Dechunker(int maxTrailerSize) {
            scanner = new ChunkedBodyScanner(maxTrailerSize);
        }

        /**
         * Hands the chunk data in {@code part} (which the caller still owns) to {@code out}, as
         * retained slices.
         */
        public void feed(ByteBuf part, java.util.function.Consumer<ByteBuf> out) {
            scanner.scan(part, part.readerIndex(), part.writerIndex(),
                    (in, index, length) -> out.accept(in.retainedSlice(index, length)));
        }
    }
}

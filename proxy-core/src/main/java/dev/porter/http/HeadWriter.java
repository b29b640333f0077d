package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Small pieces shared by the two head writers: field lines copied from a received head, and
 * field lines written from strings. Stateless.
 */
final class HeadWriter {
    static final short CRLF = ('\r' << 8) | '\n';
    static final short COLON_SPACE = (':' << 8) | ' ';

    private HeadWriter() {
    }

    /**
     * Copies field {@code f} of {@code head} as {@code name: value} and its CRLF: name and value
     * byte for byte, the whitespace around the value normalised to one space (a tab there is
     * valid but read differently by some parsers). A line that is already so (the usual case)
     * is copied whole, in one piece.
     */
    static void copyField(ByteBuf out, MessageHead head, int f) {
        int i = f * 4;
        int nameStart = head.spans[i];
        int nameEnd = head.spans[i + 1];
        int valueStart = head.spans[i + 2];
        int valueEnd = head.spans[i + 3];
        ByteBuf in = head.bytes;
        if (valueStart == nameEnd + 2 && in.getByte(nameEnd + 1) == ' '
                && in.getByte(valueEnd) == '\r' && in.getByte(valueEnd + 1) == '\n') {
            copy(out, in, nameStart, valueEnd + 2 - nameStart);
            return;
        }
        copy(out, in, nameStart, nameEnd - nameStart);
        out.writeShort(COLON_SPACE);
        copy(out, in, valueStart, valueEnd - valueStart);
        out.writeShort(CRLF);
    }

    /**
     * Appends {@code length} bytes of {@code in} from {@code index}. Not {@code out.writeBytes(in, ...)}:
     * with a slice of a pooled buffer as its source, Netty's adaptive allocator makes a
     * {@code ByteBuffer} view per call there (the most allocated object per request before);
     * reading into {@code out} copies memory to memory.
     */
    static void copy(ByteBuf out, ByteBuf in, int index, int length) {
        out.ensureWritable(length);
        int w = out.writerIndex();
        in.getBytes(index, out, w, length);
        out.writerIndex(w + length);
    }

    static void field(ByteBuf out, CharSequence name, CharSequence value) {
        ByteBufUtil.writeAscii(out, name);
        out.writeByte(':');
        out.writeByte(' ');
        ByteBufUtil.writeAscii(out, value);
        out.writeShort(CRLF);
    }
}

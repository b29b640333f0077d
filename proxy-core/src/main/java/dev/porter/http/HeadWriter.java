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
     * valid but read differently by some parsers).
     */
    static void copyField(ByteBuf out, MessageHead head, int f) {
        int i = f * 4;
        int nameStart = head.spans[i];
        int nameEnd = head.spans[i + 1];
        int valueStart = head.spans[i + 2];
        int valueEnd = head.spans[i + 3];
        out.writeBytes(head.bytes, nameStart, nameEnd - nameStart);
        out.writeShort(COLON_SPACE);
        out.writeBytes(head.bytes, valueStart, valueEnd - valueStart);
        out.writeShort(CRLF);
    }

    static void field(ByteBuf out, CharSequence name, CharSequence value) {
        ByteBufUtil.writeAscii(out, name);
        out.writeByte(':');
        out.writeByte(' ');
        ByteBufUtil.writeAscii(out, value);
        out.writeShort(CRLF);
    }
}

package dev.porter.testing;

import dev.porter.http.HeadParser;
import dev.porter.http.MessageHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/** Parsed heads for unit tests, from their text. */
public final class Heads {
    private Heads() {
    }

    /** A request head; the caller releases it. */
    public static MessageHead request(String raw) {
        return parse(true, raw);
    }

    /** A response head; the caller releases it. */
    public static MessageHead response(String raw) {
        return parse(false, raw);
    }

    private static MessageHead parse(boolean request, String raw) {
        HeadParser parser = new HeadParser(request, 8192, 65536);
        parser.begin();
        ByteBuf in = Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1);
        try {
            int n = parser.scan(in);
            if (n < 0) {
                throw new IllegalArgumentException("not a whole head: " + raw);
            }
            return parser.take(in.readRetainedSlice(n));
        } finally {
            in.release();
        }
    }
}

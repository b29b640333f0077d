package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ByteProcessor;

/**
 * The character classes of HTTP's grammar that the head parser checks bytes against (RFC 9110
 * §5.5 field values, §5.6.2 tokens, §5.6.3 optional whitespace), and the 400 it answers a
 * violation with.
 *
 * <p>The classes are tables, and the parser runs them over a whole field name or value with
 * {@link ByteBuf#forEachByte}: one bounds and reference-count check per run instead of one per
 * byte, which is what reading a head byte by byte with {@link ByteBuf#getByte} cost.
 *
 * <p>Stateless.
 */
final class HeadSyntax {
    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            TOKEN[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c < 0x80 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            FIELD_VALUE[c] = c == '\t' || c >= 0x20 && c != 0x7f;
            // Only visible ASCII; a fragment is never part of a request target (RFC 9112 §3.2).
            TARGET[c] = c > 0x20 && c < 0x7f && c != '#';
        }
    }

    /** Goes on while the bytes are {@code tchar}s: stops at the end of a field name. */
    static final ByteProcessor WHILE_TOKEN = b -> TOKEN[b & 0xff];

    /** Goes on while the bytes may be in a field value: stops at the first that may not. */
    static final ByteProcessor WHILE_FIELD_VALUE = b -> FIELD_VALUE[b & 0xff];

    /** Goes on while the bytes may be in a request target: stops at the first that may not. */
    static final ByteProcessor WHILE_TARGET = b -> TARGET[b & 0xff];

    private HeadSyntax() {
    }

    static RequestRejection.Exception reject(String reason) {
        return new RequestRejection.Exception(HttpResponseStatus.BAD_REQUEST, reason);
    }

    static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isOws(s.charAt(start))) {
            start++;
        }
        while (end > start && isOws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether the byte {@code b} (0–255) is HTAB, SP, VCHAR or obs-text (RFC 9110 §5.5). */
    static boolean isFieldValueChar(int b) {
        return FIELD_VALUE[b & 0xff];
    }

    /** Whether {@code in[from, end)} is all {@code tchar}s. */
    static boolean isToken(ByteBuf in, int from, int end) {
        return in.forEachByte(from, end - from, WHILE_TOKEN) < 0;
    }

    /** Whether the byte {@code b} (0–255) is a {@code tchar}, RFC 9110 §5.6.2. */
    static boolean isTokenChar(int b) {
        return TOKEN[b & 0xff];
    }
}

package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The character classes of HTTP's grammar that the head parser checks bytes against (RFC 9110
 * §5.5 field values, §5.6.2 tokens, §5.6.3 optional whitespace), and the 400 it answers a
 * violation with.
 *
 * <p>Stateless.
 */
final class HeadSyntax {
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

    /** HTAB, SP, VCHAR or obs-text (RFC 9110 §5.5). */
    static boolean isFieldValueChar(char c) {
        return c == '\t' || c >= 0x20 && c != 0x7f;
    }

    /** Whether {@code in[from, end)} is all {@code tchar}s. */
    static boolean isToken(ByteBuf in, int from, int end) {
        for (int i = from; i < end; i++) {
            if (!isTokenChar((char) (in.getByte(i) & 0xff))) {
                return false;
            }
        }
        return true;
    }

    /** {@code tchar}, RFC 9110 §5.6.2. */
    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}

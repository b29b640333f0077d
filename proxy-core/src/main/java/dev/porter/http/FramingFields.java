package dev.porter.http;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

import static dev.porter.http.HeadSyntax.isDigit;
import static dev.porter.http.HeadSyntax.reject;
import static dev.porter.http.HeadSyntax.trimOws;

/**
 * The values of the fields a proxy frames and routes by, and two parsers must read alike:
 * {@code Connection}, {@code Content-Length} and {@code Transfer-Encoding}, and {@code Upgrade},
 * which decides whether the bytes after a 101 are a tunnel's. Each framing value is refused
 * unless it has exactly one reading.
 *
 * <p>Stateless; {@link HeadParser} calls it with a field's value, OWS trimmed, as bytes where the
 * usual values are read without a String.
 */
final class FramingFields {
    /** Longest Content-Length whose value fits a long whatever its digits. */
    private static final int MAX_SAFE_LENGTH_DIGITS = 18;

    private FramingFields() {
    }

    /** A Connection value, {@code in[start, end)}: the usual ones read from the bytes, anything else the long way. */
    static void connection(ByteBuf in, int start, int end, MessageHead head) {
        int n = end - start;
        if (n == 10 && FieldName.is(in, start, n, "keep-alive")) {
            head.connectionKeepAlive = true;
        } else if (n == 5 && FieldName.is(in, start, n, "close")) {
            head.connectionClose = true;
        } else {
            connection(in.toString(start, n, StandardCharsets.ISO_8859_1), head);
        }
    }

    /** {@code Connection = #connection-option} (RFC 9110 §7.6.1): close, keep-alive, and other names of hop-by-hop fields. */
    static void connection(String value, MessageHead head) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int stop = comma < 0 ? value.length() : comma;
            String option = trimOws(value.substring(start, stop)).toLowerCase(java.util.Locale.ROOT);
            if (option.equals("close")) {
                head.connectionClose = true;
            } else if (option.equals("keep-alive")) {
                head.connectionKeepAlive = true;
            } else if (!option.isEmpty()) {
                if (head.connectionOptions == null) {
                    head.connectionOptions = new java.util.ArrayList<>(2);
                }
                head.connectionOptions.add(option);
            }
            start = stop + 1;
        }
    }

    /**
     * {@code Upgrade = #protocol}, {@code protocol = protocol-name ["/" protocol-version]} (RFC 9110 §7.8):
     * only whether it lists {@code websocket} matters, the one protocol Porter tunnels.
     */
    static void upgrade(String value, MessageHead head) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int stop = comma < 0 ? value.length() : comma;
            // RFC 6455 §4.2.1: the value includes the "websocket" keyword, case-insensitively.
            if (trimOws(value.substring(start, stop)).equalsIgnoreCase("websocket")) {
                head.upgradeWebsocket = true;
            }
            start = stop + 1;
        }
    }

    /** A Content-Length value, {@code in[start, end)}: read from the bytes when it has at most {@link #MAX_SAFE_LENGTH_DIGITS} characters. */
    static long contentLength(ByteBuf in, int start, int end) {
        int n = end - start;
        if (n == 0 || n > MAX_SAFE_LENGTH_DIGITS) {
            return contentLength(in.toString(start, n, StandardCharsets.ISO_8859_1));
        }
        long length = 0;
        for (int i = start; i < end; i++) {
            int c = in.getByte(i) & 0xff;
            if (c < '0' || c > '9') {
                throw reject("Content-Length is not a decimal number");
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /**
     * {@code Content-Length = 1*DIGIT} (RFC 9110 §8.6): one value. Signs, hex, inner spaces and
     * values past 63 bits are refused, each of which some parser reads another way; that a
     * head has one field only is {@link HeadParser}'s to check.
     */
    static long contentLength(String value) {
        if (value.isEmpty()) {
            throw reject("empty Content-Length");
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isDigit(value.charAt(i))) {
                throw reject("Content-Length is not a decimal number");
            }
        }
        if (value.length() > MAX_SAFE_LENGTH_DIGITS) {
            String digits = value.replaceFirst("^0+(?=.)", "");
            if (digits.length() > 19 || digits.length() == 19 && digits.compareTo(String.valueOf(Long.MAX_VALUE)) > 0) {
                throw reject("Content-Length overflows");
            }
        }
        return Long.parseLong(value);
    }

    /**
     * Porter supports one transfer coding, {@code chunked}, applied once (RFC 9112 §6.1, §7).
     * Anything else, {@code gzip, chunked} included, is refused: forwarding a coding Porter does
     * not decode would hand the upstream a body framed by rules Porter did not check. The RFC
     * suggests 501 for an unknown coding; 400 is used because an unknown coding here is far more
     * often an obfuscated {@code chunked} than a real one. One field only is {@link HeadParser}'s
     * to check.
     */
    static void transferEncoding(String value) {
        int start = 0;
        int codings = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int stop = comma < 0 ? value.length() : comma;
            String coding = trimOws(value.substring(start, stop));
            if (coding.isEmpty()) {
                throw reject("empty element in Transfer-Encoding");
            }
            if (!"chunked".equalsIgnoreCase(coding)) {
                throw reject("unsupported transfer coding");
            }
            if (++codings > 1) {
                throw reject("chunked applied more than once");
            }
            start = stop + 1;
        }
    }
}

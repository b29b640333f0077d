package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;

import static dev.porter.http.HeadSyntax.isDigit;
import static dev.porter.http.HeadSyntax.isToken;
import static dev.porter.http.HeadSyntax.reject;

/**
 * The start line of a head (RFC 9112 §3, §4): a request line (method, request target in one of
 * its four forms, version) or a status line (version, code, reason), checked strictly and
 * recorded in the {@link MessageHead}. Only HTTP/1.0 and HTTP/1.1 are spoken; CONNECT is not
 * tunnelled.
 *
 * <p>Stateless; {@link HeadParser} calls it with where the line sits in its buffer, without its
 * CRLF. The line is read from the bytes: only the request target becomes a String, and a
 * standard method is one of {@link HttpMethod}'s constants.
 */
final class StartLine {
    private StartLine() {
    }

    private static final byte SP = ' ';

    /** {@code request-line = method SP request-target SP HTTP-version}, RFC 9112 §3; the line is {@code in[from, end)}. */
    static void requestLine(ByteBuf in, int from, int end, MessageHead head) {
        int sp1 = in.indexOf(from, end, SP);
        int sp2 = sp1 < 0 ? -1 : in.indexOf(sp1 + 1, end, SP);
        if (sp2 < 0 || in.indexOf(sp2 + 1, end, SP) >= 0) {
            // Exactly two single spaces; other whitespace is what RFC 9112 §3 warns against.
            throw reject("malformed request line");
        }
        if (sp1 == from || !isToken(in, from, sp1)) {
            throw reject("method is not a token");
        }
        if (sp2 == sp1 + 1) {
            throw reject("empty request target");
        }
        if (in.forEachByte(sp1 + 1, sp2 - sp1 - 1, HeadSyntax.WHILE_TARGET) >= 0) {
            throw reject("invalid character in request target");
        }
        version(in, sp2 + 1, end, head);
        HttpMethod method = method(in, from, sp1);
        String target = in.toString(sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        targetForm(method, target, head);
        head.method = method;
        head.target = target;
        if (head.originTarget == null) {
            head.originTarget = target;
        }
    }

    /** The method {@code in[from, end)} names: one of HttpMethod's constants for the standard ones, without a String. */
    private static HttpMethod method(ByteBuf in, int from, int end) {
        HttpMethod known = switch (end - from) {
            case 3 -> is(in, from, "GET") ? HttpMethod.GET : is(in, from, "PUT") ? HttpMethod.PUT : null;
            case 4 -> is(in, from, "POST") ? HttpMethod.POST : is(in, from, "HEAD") ? HttpMethod.HEAD : null;
            case 5 -> is(in, from, "PATCH") ? HttpMethod.PATCH : is(in, from, "TRACE") ? HttpMethod.TRACE : null;
            case 6 -> is(in, from, "DELETE") ? HttpMethod.DELETE : null;
            case 7 -> is(in, from, "OPTIONS") ? HttpMethod.OPTIONS : is(in, from, "CONNECT") ? HttpMethod.CONNECT : null;
            default -> null;
        };
        return known != null ? known : HttpMethod.valueOf(in.toString(from, end - from, StandardCharsets.ISO_8859_1));
    }

    /** Whether {@code in} holds {@code ascii} at {@code from}, byte for byte (case-sensitive, as methods are). */
    private static boolean is(ByteBuf in, int from, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (in.getByte(from + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Request-target forms of RFC 9112 §3.2, and which one goes with which method. */
    private static void targetForm(HttpMethod method, String target, MessageHead head) {
        if (HttpMethod.CONNECT.name().equals(method.name())) {
            // Authority-form is only for CONNECT, which a reverse proxy does not tunnel.
            throw new RequestRejection.Exception(HttpResponseStatus.NOT_IMPLEMENTED, "CONNECT is not supported");
        }
        if (target.charAt(0) == '/') {
            return;
        }
        if ("*".equals(target)) {
            if (!HttpMethod.OPTIONS.name().equals(method.name())) {
                throw reject("asterisk-form target without OPTIONS");
            }
            return;
        }
        if (!AbsoluteFormTarget.isAbsoluteForm(target)) {
            throw reject("request target in no known form");
        }
        try {
            AbsoluteFormTarget absolute = AbsoluteFormTarget.parse(target);
            head.originTarget = absolute.originForm();
            head.targetAuthority = absolute.authority();
        } catch (IllegalArgumentException e) {
            throw reject(e.getMessage());
        }
    }

    /** {@code status-line = HTTP-version SP status-code SP [ reason-phrase ]}, RFC 9112 §4; the line is {@code in[from, end)}. */
    static void statusLine(ByteBuf in, int from, int end, MessageHead head) {
        if (end - from < 12 || in.getByte(from + 8) != SP) {
            throw reject("malformed status line");
        }
        version(in, from, from + 8, head);
        int code = 0;
        for (int i = from + 9; i < from + 12; i++) {
            int c = in.getByte(i) & 0xff;
            if (c < '0' || c > '9') {
                throw reject("malformed status code");
            }
            code = code * 10 + (c - '0');
        }
        if (code < 100 || code > 599) {
            throw reject("status code out of range");
        }
        head.status = code;
        // RFC 9112 §4 requires the SP before an empty reason; servers that leave it out are
        // common and the line is unambiguous without it, so it is not insisted on.
        if (end - from > 12) {
            if (in.getByte(from + 12) != SP) {
                throw reject("malformed status line");
            }
            if (end > from + 13 && in.forEachByte(from + 13, end - from - 13, HeadSyntax.WHILE_FIELD_VALUE) >= 0) {
                throw reject("invalid character in reason phrase");
            }
        }
    }

    /** {@code HTTP-version = "HTTP" "/" DIGIT "." DIGIT}, case-sensitive (RFC 9112 §2.3); the version is {@code in[from, end)}. */
    private static void version(ByteBuf in, int from, int end, MessageHead head) {
        if (end - from != 8 || !is(in, from, "HTTP/") || in.getByte(from + 6) != '.'
                || !isDigit((char) (in.getByte(from + 5) & 0xff)) || !isDigit((char) (in.getByte(from + 7) & 0xff))) {
            throw reject("malformed HTTP version");
        }
        if (in.getByte(from + 5) == '1' && in.getByte(from + 7) == '0') {
            head.http10 = true;
        } else if (in.getByte(from + 5) != '1' || in.getByte(from + 7) != '1') {
            // Well-formed but not ours to speak (RFC 9110 §15.6.6).
            throw new RequestRejection.Exception(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "unsupported HTTP version " + in.toString(from, 8, StandardCharsets.ISO_8859_1));
        }
    }
}

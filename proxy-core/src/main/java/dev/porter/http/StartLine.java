package dev.porter.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import static dev.porter.http.HeadSyntax.isDigit;
import static dev.porter.http.HeadSyntax.isFieldValueChar;
import static dev.porter.http.HeadSyntax.isToken;
import static dev.porter.http.HeadSyntax.reject;

/**
 * The start line of a head (RFC 9112 §3, §4): a request line (method, request target in one of
 * its four forms, version) or a status line (version, code, reason), checked strictly and
 * recorded in the {@link MessageHead}. Only HTTP/1.0 and HTTP/1.1 are spoken; CONNECT is not
 * tunnelled.
 *
 * <p>Stateless; {@link HeadParser} calls it with the line's text, without its CRLF.
 */
final class StartLine {
    private StartLine() {
    }

    /** {@code request-line = method SP request-target SP HTTP-version}, RFC 9112 §3. */
    static void requestLine(String line, MessageHead head) {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            // Exactly two single spaces; other whitespace is what RFC 9112 §3 warns against.
            throw reject("malformed request line");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        if (method.isEmpty() || !isToken(method)) {
            throw reject("method is not a token");
        }
        if (target.isEmpty()) {
            throw reject("empty request target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            // Only visible ASCII; a fragment is never part of a request target (RFC 9112 §3.2).
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw reject("invalid character in request target");
            }
        }
        version(line.substring(sp2 + 1), head);
        targetForm(method, target, head);
        head.method = HttpMethod.valueOf(method);
        head.target = target;
        if (head.originTarget == null) {
            head.originTarget = target;
        }
    }

    /** Request-target forms of RFC 9112 §3.2, and which one goes with which method. */
    private static void targetForm(String method, String target, MessageHead head) {
        if (HttpMethod.CONNECT.name().equals(method)) {
            // Authority-form is only for CONNECT, which a reverse proxy does not tunnel.
            throw new RequestRejection.Exception(HttpResponseStatus.NOT_IMPLEMENTED, "CONNECT is not supported");
        }
        if (target.charAt(0) == '/') {
            return;
        }
        if ("*".equals(target)) {
            if (!HttpMethod.OPTIONS.name().equals(method)) {
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

    /** {@code status-line = HTTP-version SP status-code SP [ reason-phrase ]}, RFC 9112 §4. */
    static void statusLine(String line, MessageHead head) {
        if (line.length() < 12 || line.charAt(8) != ' ') {
            throw reject("malformed status line");
        }
        version(line.substring(0, 8), head);
        int code = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
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
        if (line.length() > 12) {
            if (line.charAt(12) != ' ') {
                throw reject("malformed status line");
            }
            for (int i = 13; i < line.length(); i++) {
                if (!isFieldValueChar(line.charAt(i))) {
                    throw reject("invalid character in reason phrase");
                }
            }
        }
    }

    /** {@code HTTP-version = "HTTP" "/" DIGIT "." DIGIT}, case-sensitive (RFC 9112 §2.3). */
    private static void version(String version, MessageHead head) {
        if (version.length() != 8 || !version.startsWith("HTTP/") || version.charAt(6) != '.'
                || !isDigit(version.charAt(5)) || !isDigit(version.charAt(7))) {
            throw reject("malformed HTTP version");
        }
        if ("HTTP/1.0".equals(version)) {
            head.http10 = true;
        } else if (!"HTTP/1.1".equals(version)) {
            // Well-formed but not ours to speak (RFC 9110 §15.6.6).
            throw new RequestRejection.Exception(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "unsupported HTTP version " + version);
        }
    }
}

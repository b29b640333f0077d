package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.nio.charset.StandardCharsets;

/**
 * Parses one message head (start line and field section, RFC 9112 §2.1) from the raw bytes,
 * once, into a {@link MessageHead}, and refuses every head that two HTTP/1.1 parsers could
 * frame differently.
 *
 * <p>Parsers are lenient where a proxy must not be: bare LF line endings, control characters
 * trimmed around values, conflicts repaired silently. Tomcat behind Porter may read the same
 * bytes another way; whatever one of them would read differently is request smuggling. This
 * parser sees the bytes exactly as they arrived, so its rules are about the wire. It records
 * where each field sits and what the proxy decides by (framing, Host, Connection), so that the
 * head can be forwarded as the bytes it came in, and nothing is decoded twice.
 *
 * <p>One per connection and direction (client requests, upstream responses). It reads without
 * consuming, resuming where it stopped, so that a head arriving a byte at a time is not
 * rescanned; {@link #take} hands the head over and makes the parser ready for the next one. A
 * violation is thrown as {@link RequestRejection.Exception} (with status 400, 501 or 505),
 * {@link TooLongHttpLineException} or {@link TooLongHttpHeaderException}.
 *
 * <p>Confined to the channel's event loop.
 */
public final class HeadParser {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte HTAB = '\t';
    /** Longest Content-Length whose value fits a long whatever its digits. */
    private static final int MAX_SAFE_LENGTH_DIGITS = 18;

    private final boolean request;
    private final int maxStartLine;
    private final int maxHeaderSize;

    // Scan position, as offsets from the buffer's reader index (which does not move while
    // scanning, because nothing is consumed until the head is complete).
    private int lineStart;
    private int searchFrom;

    private boolean startLineSeen;
    private int startLineBytes;
    private int headerBytes;
    private int fieldCount;

    private int contentLengthFields;
    private int transferEncodingFields;
    private int hostFields;
    private final MessageHead head;

    public HeadParser(boolean request, int maxStartLine, int maxHeaderSize) {
        this.request = request;
        this.maxStartLine = maxStartLine;
        this.maxHeaderSize = maxHeaderSize;
        this.head = new MessageHead(request);
    }

    /** Forgets the previous head; the next {@link #scan} starts at the reader index. */
    public void reset() {
        lineStart = 0;
        searchFrom = 0;
        startLineSeen = false;
        startLineBytes = 0;
        headerBytes = 0;
        fieldCount = 0;
        contentLengthFields = 0;
        transferEncodingFields = 0;
        hostFields = 0;
        head.reset();
    }

    /** Whether some bytes of a head were scanned (a head is in progress). */
    public boolean inProgress() {
        return searchFrom > 0;
    }

    /**
     * Hands over the head {@link #scan} found complete: {@code bytes} are its bytes (the caller
     * reads them off the input), which the head owns from now on. Offsets are relative to the
     * start of {@code bytes}, which is where the scan started. The parser is ready for the next
     * head; the returned object is reused by it.
     */
    public MessageHead take(ByteBuf bytes) {
        head.bytes = bytes;
        MessageHead done = head;
        lineStart = 0;
        searchFrom = 0;
        startLineSeen = false;
        startLineBytes = 0;
        headerBytes = 0;
        fieldCount = 0;
        contentLengthFields = 0;
        transferEncodingFields = 0;
        hostFields = 0;
        return done;
    }

    /** The head being parsed, reset for a new one: call before {@link #scan} of a new message. */
    public void begin() {
        head.release();
        head.reset();
    }

    /**
     * Scans what has arrived of the head that starts at {@code in.readerIndex()}.
     *
     * @return -1 when the head is not complete yet, else its length in bytes, up to and
     *         including the empty line that ends it
     */
    public int scan(ByteBuf in) {
        int base = in.readerIndex();
        int end = in.writerIndex();
        for (;;) {
            int lf = in.indexOf(base + searchFrom, end, LF);
            if (lf < 0) {
                searchFrom = end - base;
                checkPartialLine(end - base - lineStart);
                return -1;
            }
            int lineOffset = base + lineStart;
            // RFC 9112 §2.2 lets a recipient accept a bare LF; a proxy must not, because a
            // front end that does not would see a different set of lines.
            if (lf == lineOffset || in.getByte(lf - 1) != CR) {
                throw reject("bare LF line ending");
            }
            int length = lf - 1 - lineOffset;
            lineStart = lf + 1 - base;
            searchFrom = lineStart;
            if (!startLineSeen) {
                startLine(in, lineOffset, length);
                if (startLineSeen) {
                    head.startLineStart = lineOffset - base;
                    head.statusLineEnd = lineOffset - base + length;
                }
            } else if (length == 0) {
                endOfHead();
                return lineStart;
            } else {
                fieldLine(in, base, lineOffset, length);
            }
        }
    }

    private void checkPartialLine(int partialLength) {
        // The partial line may already hold the CR of its CRLF, hence the + 1.
        if (!startLineSeen && startLineBytes + partialLength > maxStartLine + 1) {
            throw new TooLongHttpLineException("An HTTP line is larger than " + maxStartLine + " bytes.");
        }
        if (startLineSeen && headerBytes + partialLength > maxHeaderSize + 1) {
            throw new TooLongHttpHeaderException("HTTP header is larger than " + maxHeaderSize + " bytes.");
        }
    }

    private void startLine(ByteBuf in, int offset, int length) {
        startLineBytes += length + 2;
        if (length == 0) {
            // RFC 9112 §2.2: a server SHOULD ignore empty lines before the request line (they
            // count toward the line limit). A response has no such allowance.
            if (!request) {
                throw reject("empty line before the status line");
            }
            checkPartialLine(0);
            return;
        }
        if (length > maxStartLine) {
            throw new TooLongHttpLineException("An HTTP line is larger than " + maxStartLine + " bytes.");
        }
        String line = in.toString(offset, length, StandardCharsets.ISO_8859_1);
        if (request) {
            requestLine(line);
        } else {
            statusLine(line);
        }
        startLineSeen = true;
    }

    /** {@code request-line = method SP request-target SP HTTP-version}, RFC 9112 §3. */
    private void requestLine(String line) {
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
        version(line.substring(sp2 + 1));
        targetForm(method, target);
        head.method = HttpMethod.valueOf(method);
        head.target = target;
        if (head.originTarget == null) {
            head.originTarget = target;
        }
    }

    /** Request-target forms of RFC 9112 §3.2, and which one goes with which method. */
    private void targetForm(String method, String target) {
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
    private void statusLine(String line) {
        if (line.length() < 12 || line.charAt(8) != ' ') {
            throw reject("malformed status line");
        }
        version(line.substring(0, 8));
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
    private void version(String version) {
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

    /** {@code field-line = field-name ":" OWS field-value OWS}, RFC 9112 §5. */
    private void fieldLine(ByteBuf in, int base, int offset, int length) {
        headerBytes += length;
        if (headerBytes > maxHeaderSize) {
            throw new TooLongHttpHeaderException("HTTP header is larger than " + maxHeaderSize + " bytes.");
        }
        byte first = in.getByte(offset);
        if (first == SP || first == HTAB) {
            // Before the first field it could be read as part of the start line or as a field
            // (RFC 9112 §2.2); later it is obs-fold, which a proxy must reject or replace (§5.2).
            throw reject(fieldCount == 0 ? "whitespace before the first field line" : "obsolete line folding");
        }
        fieldCount++;
        int colon = -1;
        for (int i = 0; i < length; i++) {
            byte b = in.getByte(offset + i);
            if (b == ':') {
                colon = i;
                break;
            }
            if (b == SP || b == HTAB) {
                // RFC 9112 §5.1: whitespace between name and colon MUST be answered with 400.
                throw reject("whitespace in or after a field name");
            }
            if (!isTokenChar((char) (b & 0xff))) {
                throw reject("field name is not a token");
            }
        }
        if (colon < 0) {
            throw reject("field line without a colon");
        }
        if (colon == 0) {
            throw reject("empty field name");
        }
        int valueStart = offset + colon + 1;
        int valueEnd = offset + length;
        for (int i = valueStart; i < valueEnd; i++) {
            // RFC 9110 §5.5: CR, LF and NUL must be rejected; the other controls are invalid
            // too, and are exactly what some parsers trim and others keep (\v, \f).
            if (!isFieldValueChar((char) (in.getByte(i) & 0xff))) {
                throw reject("invalid character in field value");
            }
        }
        while (valueStart < valueEnd && isOws((char) in.getByte(valueStart))) {
            valueStart++;
        }
        while (valueEnd > valueStart && isOws((char) in.getByte(valueEnd - 1))) {
            valueEnd--;
        }
        byte kind = FieldName.classify(in, offset, colon);
        head.addField(offset - base, offset - base + colon, valueStart - base, valueEnd - base, kind);
        switch (kind) {
            case FieldName.CONTENT_LENGTH -> contentLength(value(in, valueStart, valueEnd));
            case FieldName.TRANSFER_ENCODING -> transferEncoding(value(in, valueStart, valueEnd));
            case FieldName.HOST -> {
                hostFields++;
                head.host = value(in, valueStart, valueEnd);
            }
            case FieldName.CONNECTION -> connection(value(in, valueStart, valueEnd));
            case FieldName.UPGRADE -> upgrade(value(in, valueStart, valueEnd));
            case FieldName.KEEP_ALIVE -> {
                if (!request) {
                    head.keepAliveTimeout = KeepAliveHint.timeoutSeconds(value(in, valueStart, valueEnd));
                }
            }
            default -> {
                // forwarded as it came
            }
        }
    }

    private static String value(ByteBuf in, int start, int end) {
        return in.toString(start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** {@code Connection = #connection-option} (RFC 9110 §7.6.1): close, keep-alive, and other names of hop-by-hop fields. */
    private void connection(String value) {
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

    /** {@code Upgrade = #protocol}, {@code protocol = protocol-name ["/" protocol-version]} (RFC 9110 §7.8). */
    private void upgrade(String value) {
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

    /**
     * {@code Content-Length = 1*DIGIT} (RFC 9110 §8.6). One field with one value: repeats, even
     * identical ones, are refused (RFC 9112 §6.3 allows either), as are signs, hex, inner
     * spaces and values past 63 bits, each of which some parser reads another way.
     */
    private void contentLength(String value) {
        if (++contentLengthFields > 1) {
            throw reject("several Content-Length fields");
        }
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
        head.contentLength = Long.parseLong(value);
    }

    /**
     * Porter supports one transfer coding, {@code chunked}, applied once (RFC 9112 §6.1, §7).
     * Anything else, {@code gzip, chunked} included, is refused: forwarding a coding Porter does
     * not decode would hand the upstream a body framed by rules Porter did not check. The RFC
     * suggests 501 for an unknown coding; 400 is used because an unknown coding here is far more
     * often an obfuscated {@code chunked} than a real one.
     */
    private void transferEncoding(String value) {
        if (++transferEncodingFields > 1) {
            throw reject("several Transfer-Encoding fields");
        }
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
        head.chunked = true;
    }

    private void endOfHead() {
        if (transferEncodingFields > 0 && contentLengthFields > 0) {
            // RFC 9112 §6.3 item 3: "ought to be handled as an error".
            throw reject("both Transfer-Encoding and Content-Length");
        }
        if (transferEncodingFields > 0 && head.http10) {
            // RFC 9112 §6.1: HTTP/1.0 framing with Transfer-Encoding is faulty.
            throw reject("Transfer-Encoding in an HTTP/1.0 message");
        }
        if (!request) {
            return;
        }
        // RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, several Host fields or an
        // invalid Host value.
        if (hostFields > 1) {
            throw reject("several Host fields");
        }
        if (hostFields == 0 && !head.http10) {
            throw reject("HTTP/1.1 request without Host");
        }
        if (hostFields == 1 && !HostAuthority.isValid(head.host)) {
            throw reject("invalid Host");
        }
        if (head.websocketUpgrade()) {
            // RFC 6455 §4.1: the opening handshake is a GET, and it has no body: after the 101
            // whatever follows the head is WebSocket frames, so a body would be read as frames
            // by one side and as a body by the other.
            if (!HttpMethod.GET.equals(head.method)) {
                throw reject("WebSocket upgrade with method " + head.method.name() + " (RFC 6455 requires GET)");
            }
            if (head.chunked || head.contentLength > 0) {
                throw reject("WebSocket upgrade with a request body");
            }
        }
    }

    private static RequestRejection.Exception reject(String reason) {
        return new RequestRejection.Exception(HttpResponseStatus.BAD_REQUEST, reason);
    }

    private static String trimOws(String s) {
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

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** HTAB, SP, VCHAR or obs-text (RFC 9110 §5.5). */
    private static boolean isFieldValueChar(char c) {
        return c == '\t' || c >= 0x20 && c != 0x7f;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code tchar}, RFC 9110 §5.6.2. */
    private static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}

package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.nio.charset.StandardCharsets;

import static dev.porter.http.HeadSyntax.isOws;
import static dev.porter.http.HeadSyntax.reject;

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
 * head can be forwarded as the bytes it came in, and nothing is decoded twice. The start line is
 * {@link StartLine}'s, the values of the framing fields are {@link FramingFields}'; this class
 * finds the lines, holds the limits, checks each field line and the head as a whole.
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
        rewind();
        head.reset();
    }

    /** Back to the start of a head: nothing scanned, nothing counted. */
    private void rewind() {
        lineStart = 0;
        searchFrom = 0;
        startLineSeen = false;
        startLineBytes = 0;
        headerBytes = 0;
        fieldCount = 0;
        contentLengthFields = 0;
        transferEncodingFields = 0;
        hostFields = 0;
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
        rewind();
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
        // Read from the bytes: only the target becomes a String.
        if (request) {
            StartLine.requestLine(in, offset, offset + length, head);
        } else {
            StartLine.statusLine(in, offset, offset + length, head);
        }
        startLineSeen = true;
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
        int nameEnd = in.forEachByte(offset, length, HeadSyntax.WHILE_TOKEN);
        if (nameEnd < 0) {
            throw reject("field line without a colon");
        }
        byte stop = in.getByte(nameEnd);
        if (stop == SP || stop == HTAB) {
            // RFC 9112 §5.1: whitespace between name and colon MUST be answered with 400.
            throw reject("whitespace in or after a field name");
        }
        if (stop != ':') {
            throw reject("field name is not a token");
        }
        int colon = nameEnd - offset;
        if (colon == 0) {
            throw reject("empty field name");
        }
        int valueStart = nameEnd + 1;
        int valueEnd = offset + length;
        // RFC 9110 §5.5: CR, LF and NUL must be rejected; the other controls are invalid too, and
        // are exactly what some parsers trim and others keep (\v, \f).
        if (valueEnd > valueStart && in.forEachByte(valueStart, valueEnd - valueStart, HeadSyntax.WHILE_FIELD_VALUE) >= 0) {
            throw reject("invalid character in field value");
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
            case FieldName.CONTENT_LENGTH -> {
                // One field with one value: repeats, even identical ones, are refused (RFC 9112
                // §6.3 allows either).
                if (++contentLengthFields > 1) {
                    throw reject("several Content-Length fields");
                }
                head.contentLength = FramingFields.contentLength(in, valueStart, valueEnd);
            }
            case FieldName.TRANSFER_ENCODING -> {
                if (++transferEncodingFields > 1) {
                    throw reject("several Transfer-Encoding fields");
                }
                FramingFields.transferEncoding(value(in, valueStart, valueEnd));
                head.chunked = true;
            }
            case FieldName.HOST -> {
                hostFields++;
                head.host = value(in, valueStart, valueEnd);
            }
            case FieldName.CONNECTION -> FramingFields.connection(in, valueStart, valueEnd, head);
            case FieldName.UPGRADE -> FramingFields.upgrade(value(in, valueStart, valueEnd), head);
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
}

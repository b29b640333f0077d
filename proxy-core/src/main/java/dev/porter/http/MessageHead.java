package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP/1.x message head (a request or a response), parsed once by {@link HeadParser}: its
 * bytes as they arrived, where each field line sits in them, and the facts the proxy decides
 * by (method, target, status, framing, connection options). Nothing is decoded into header
 * objects: the proxy forwards the head as the bytes it received, minus what it removes and plus
 * what it adds ({@link UpstreamRequestHead}, {@link ClientResponseHead}).
 *
 * <p>One instance per parser, reused for the next head of the same connection once this one is
 * done with; it owns {@link #bytes()} until {@link #release()}. Confined to the connection's
 * event loop.
 */
public final class MessageHead {
    /** Per field: name start, name end (the colon), value start, value end; offsets into {@link #bytes}. */
    int[] spans = new int[32];
    byte[] kinds = new byte[8];
    int fieldCount;

    ByteBuf bytes;
    final boolean request;
    HttpMethod method;
    String target;
    /** The target in origin form, and the authority of an absolute-form target (then the Host). */
    String originTarget;
    String targetAuthority;
    int status;
    /** Where the start line begins and ends (empty lines may come before a request line). */
    int startLineStart;
    int statusLineEnd;
    boolean http10;
    long contentLength = -1;
    boolean chunked;
    String host;
    boolean connectionClose;
    boolean connectionKeepAlive;
    /** Other names listed in Connection: fields by these names are hop-by-hop too. */
    List<String> connectionOptions;
    /** The {@code timeout=N} of a response's Keep-Alive field, or -1. */
    long keepAliveTimeout = -1;
    /** An Upgrade field lists the {@code websocket} protocol. */
    boolean upgradeWebsocket;

    MessageHead(boolean request) {
        this.request = request;
    }

    void reset() {
        fieldCount = 0;
        bytes = null;
        method = null;
        target = null;
        originTarget = null;
        targetAuthority = null;
        status = 0;
        startLineStart = 0;
        statusLineEnd = 0;
        http10 = false;
        contentLength = -1;
        chunked = false;
        host = null;
        connectionClose = false;
        connectionKeepAlive = false;
        connectionOptions = null;
        keepAliveTimeout = -1;
        upgradeWebsocket = false;
    }

    void addField(int nameStart, int nameEnd, int valueStart, int valueEnd, byte kind) {
        int i = fieldCount * 4;
        if (i + 4 > spans.length) {
            spans = java.util.Arrays.copyOf(spans, spans.length * 2);
        }
        if (fieldCount == kinds.length) {
            kinds = java.util.Arrays.copyOf(kinds, kinds.length * 2);
        }
        spans[i] = nameStart;
        spans[i + 1] = nameEnd;
        spans[i + 2] = valueStart;
        spans[i + 3] = valueEnd;
        kinds[fieldCount++] = kind;
    }

    /** The head's bytes, from the start line to the empty line that ends it. */
    public ByteBuf bytes() {
        return bytes;
    }

    public boolean isRequest() {
        return request;
    }

    /** A request's method. */
    public HttpMethod method() {
        return method;
    }

    /** A request's target, as sent. */
    public String target() {
        return target;
    }

    /** A request's target in origin form (an absolute-form target's path and query). */
    public String originTarget() {
        return originTarget;
    }

    /** A response's status code. */
    public int status() {
        return status;
    }

    /** HTTP/1.0 rather than HTTP/1.1. */
    public boolean isHttp10() {
        return http10;
    }

    /** The Content-Length, or -1 when there is none. */
    public long contentLength() {
        return contentLength;
    }

    public boolean isChunked() {
        return chunked;
    }

    /**
     * A request's host: the authority of an absolute-form target (RFC 9112 §3.2.2), else its
     * Host field; null for an HTTP/1.0 request without one.
     */
    public String host() {
        return targetAuthority != null ? targetAuthority : host;
    }

    /** Whether the message allows the connection to stay open after it (RFC 9112 §9.3). */
    public boolean keepAlive() {
        return http10 ? connectionKeepAlive && !connectionClose : !connectionClose;
    }

    /** A response's {@code Keep-Alive: timeout=N}: how long the upstream keeps the connection idle; -1 = not said. */
    public long keepAliveTimeout() {
        return keepAliveTimeout;
    }

    /**
     * A request: whether it asks for a WebSocket (RFC 6455 §4.1): {@code Upgrade: websocket}
     * with {@code Connection: upgrade}, in HTTP/1.1 (an HTTP/1.0 request's Upgrade is ignored,
     * RFC 9110 §7.8). A response: whether it switches to a WebSocket ({@code Upgrade: websocket};
     * its status says whether it switched). The parser refuses a WebSocket request that is not
     * a body-less GET, so one that passed is a valid handshake as far as the proxy is concerned.
     */
    public boolean websocketUpgrade() {
        if (!upgradeWebsocket || http10) {
            return false;
        }
        return !request || connectionOptions != null && connectionOptions.contains("upgrade");
    }

    public int fieldCount() {
        return fieldCount;
    }

    /** The value of the first field called {@code lowerCaseName}, or null. Not for the hot path. */
    public String field(String lowerCaseName) {
        for (int f = 0; f < fieldCount; f++) {
            if (FieldName.is(bytes, spans[f * 4], spans[f * 4 + 1] - spans[f * 4], lowerCaseName)) {
                return value(f);
            }
        }
        return null;
    }

    /** Every value of the fields called {@code lowerCaseName}, in order. */
    public List<String> fields(String lowerCaseName) {
        List<String> out = new ArrayList<>(1);
        for (int f = 0; f < fieldCount; f++) {
            if (FieldName.is(bytes, spans[f * 4], spans[f * 4 + 1] - spans[f * 4], lowerCaseName)) {
                out.add(value(f));
            }
        }
        return out;
    }

    String value(int f) {
        return bytes.toString(spans[f * 4 + 2], spans[f * 4 + 3] - spans[f * 4 + 2], StandardCharsets.ISO_8859_1);
    }

    /** Whether field {@code f} is hop-by-hop: one of RFC 9110 §7.6.1's, or named in Connection. */
    boolean hopByHop(int f) {
        if (FieldName.hopByHop(kinds[f])) {
            return true;
        }
        if (connectionOptions == null) {
            return false;
        }
        int start = spans[f * 4];
        int length = spans[f * 4 + 1] - start;
        for (String option : connectionOptions) {
            if (FieldName.is(bytes, start, length, option)) {
                return true;
            }
        }
        return false;
    }

    /** Lets go of the bytes. */
    public void release() {
        if (bytes != null) {
            bytes.release();
            bytes = null;
        }
    }
}

package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Writes an upstream response's head for the client, from the bytes it arrived in: the status
 * line as HTTP/1.1 with the upstream's code and reason, the end-to-end fields copied byte for
 * byte, and the framing chosen for this client (RFC 9112 §6.3): a Content-Length is kept, a
 * chunked body passes as it is to an HTTP/1.1 client; otherwise the body is chunked for an
 * HTTP/1.1 client, or delimited by closing the connection for an HTTP/1.0 one.
 *
 * <p>Stateless; called on the client connection's event loop.
 */
public final class ClientResponseHead {
    private static final byte[] HTTP_11 = "HTTP/1.1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** How the body reaches the client. */
    public enum BodyForm {
        /** No body (HEAD, 1xx, 204, 304). */
        NONE,
        /** As it came: a Content-Length body, a chunked body to an HTTP/1.1 client, a close-delimited one to HTTP/1.0. */
        AS_IS,
        /** Chunked by Porter: a close-delimited body for an HTTP/1.1 client. */
        CHUNK,
        /** Chunk framing removed: a chunked body for an HTTP/1.0 client, which then ends with the close. */
        DECHUNK
    }

    /**
     * The head and what goes with it.
     *
     * @param keepAlive whether the client connection is kept after this response (a body
     *                  delimited by the close forces a close)
     */
    public record Prepared(ByteBuf head, boolean keepAlive, BodyForm form) {
    }

    private ClientResponseHead() {
    }

    /**
     * The head of an upstream's {@code 101 Switching Protocols} to a WebSocket handshake: its
     * status line and end-to-end fields (Sec-WebSocket-Accept, -Protocol, -Extensions, cookies)
     * as they came, with {@code Upgrade: websocket} and {@code Connection: upgrade}, the two
     * hop-by-hop fields that must cross for the client to take it as the switch (RFC 6455 §4.1).
     * The bytes after it are the tunnel's.
     */
    public static ByteBuf writeSwitching(ByteBufAllocator alloc, MessageHead response) {
        ByteBuf out = alloc.buffer(response.bytes.readableBytes() + 48);
        out.writeBytes(HTTP_11);
        int reasonFrom = response.startLineStart + 8;
        out.writeBytes(response.bytes, reasonFrom, response.statusLineEnd - reasonFrom);
        out.writeShort(HeadWriter.CRLF);
        for (int f = 0; f < response.fieldCount; f++) {
            if (!response.hopByHop(f)) {
                HeadWriter.copyField(out, response, f);
            }
        }
        HeadWriter.field(out, "Upgrade", "websocket");
        HeadWriter.field(out, "Connection", "upgrade");
        out.writeShort(HeadWriter.CRLF);
        return out;
    }

    /**
     * @param keepAlive whether Porter would keep the client connection after this response
     */
    public static Prepared write(ByteBufAllocator alloc, MessageHead response, HttpMethod method, boolean clientHttp10,
                                 boolean keepAlive) {
        int code = response.status;
        boolean bodyless = method.equals(HttpMethod.HEAD) || code == 204 || code == 304 || code < 200;
        BodyForm form;
        boolean chunkedOut = false;
        if (bodyless) {
            form = BodyForm.NONE;
        } else if (response.contentLength >= 0) {
            form = BodyForm.AS_IS;
        } else if (!clientHttp10) {
            chunkedOut = true;
            form = response.chunked ? BodyForm.AS_IS : BodyForm.CHUNK;
        } else {
            keepAlive = false;
            form = response.chunked ? BodyForm.DECHUNK : BodyForm.AS_IS;
        }
        ByteBuf out = alloc.buffer(response.bytes.readableBytes() + 64);
        out.writeBytes(HTTP_11);
        // " 200 OK": the upstream's code and reason, after its version.
        int reasonFrom = response.startLineStart + 8;
        HeadWriter.copy(out, response.bytes, reasonFrom, response.statusLineEnd - reasonFrom);
        out.writeShort(HeadWriter.CRLF);
        for (int f = 0; f < response.fieldCount; f++) {
            if (!response.hopByHop(f)) {
                HeadWriter.copyField(out, response, f);
            }
        }
        if (chunkedOut) {
            HeadWriter.field(out, "Transfer-Encoding", "chunked");
        }
        if (!keepAlive) {
            HeadWriter.field(out, "Connection", "close");
        } else if (clientHttp10) {
            HeadWriter.field(out, "Connection", "keep-alive");
        }
        out.writeShort(HeadWriter.CRLF);
        return new Prepared(out, keepAlive, form);
    }
}

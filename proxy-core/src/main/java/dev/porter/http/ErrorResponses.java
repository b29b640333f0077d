package dev.porter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The responses Porter writes itself (4xx for bad requests, 502/503/504 for upstream
 * failures), as the bytes that go on the wire: a short text body naming the status, nothing
 * about internals. Stateless.
 */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    /**
     * @param close whether the client connection will be closed after it (adds {@code Connection: close})
     */
    public static ByteBuf of(ByteBufAllocator alloc, HttpResponseStatus status, boolean close) {
        return of(alloc, status, close, null);
    }

    /** As {@link #of(ByteBufAllocator, HttpResponseStatus, boolean)}, with a {@code Retry-After} in seconds when not null (429, 503). */
    public static ByteBuf of(ByteBufAllocator alloc, HttpResponseStatus status, boolean close, Long retryAfterSeconds) {
        String body = status.code() + " " + status.reasonPhrase() + "\n";
        StringBuilder head = new StringBuilder(160)
                .append("HTTP/1.1 ").append(status.code()).append(' ').append(status.reasonPhrase()).append("\r\n")
                .append("content-type: text/plain\r\n")
                .append("content-length: ").append(body.length()).append("\r\n")
                .append("server: porter\r\n");
        if (retryAfterSeconds != null) {
            head.append("retry-after: ").append(retryAfterSeconds).append("\r\n");
        }
        if (close) {
            head.append("connection: close\r\n");
        }
        head.append("\r\n").append(body);
        ByteBuf out = alloc.buffer(head.length());
        ByteBufUtil.writeAscii(out, head);
        return out;
    }
}

package dev.porter.http;

import dev.porter.client.ClientAddress;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamHttpVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.util.Locale;
import java.util.Map;

/**
 * Writes the request head sent upstream, from the client's as it arrived: the same method and
 * request target (an absolute-form target in origin form), the end-to-end fields copied byte for
 * byte, the route's header edits, the forwarding fields, and the framing and connection fields
 * of the upstream hop. A client's {@code Connection: close} never reaches the upstream: it is
 * hop-by-hop, and ending the client connection is no reason to end a pooled upstream one.
 *
 * <p>Stateless; called on the client connection's event loop.
 */
public final class UpstreamRequestHead {
    private static final byte[] HTTP_11 = " HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] HTTP_10 = " HTTP/1.0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private UpstreamRequestHead() {
    }

    /**
     * @param client           the request's client: X-Real-IP is the client, X-Forwarded-For is
     *                         appended with the peer (the hop Porter saw: socket or PROXY), so that
     *                         the list stays a record of the hops even when a trusted peer named
     *                         the client (real IP)
     * @param serverName       host:port of the upstream server, the Host for a client that sent none (HTTP/1.0)
     * @param lastOnConnection Porter will retire the upstream connection after this request and
     *                         wants the upstream to close it
     * @param tls              the client connection came over TLS (X-Forwarded-Proto: https)
     */
    public static ByteBuf write(ByteBufAllocator alloc, MessageHead request, RouteConfig route, UpstreamHttpVersion version,
                                ClientAddress client, String serverName, boolean lastOnConnection, boolean tls) {
        ByteBuf out = alloc.buffer(request.bytes.readableBytes() + 192);
        ByteBufUtil.writeAscii(out, request.method.name());
        out.writeByte(' ');
        ByteBufUtil.writeAscii(out, request.originTarget);
        boolean http10 = version == UpstreamHttpVersion.HTTP_1_0;
        out.writeBytes(http10 ? HTTP_10 : HTTP_11);

        boolean edits = !route.setHeaders().isEmpty() || !route.removeHeaders().isEmpty();
        boolean hostWritten = false;
        String forwardedFor = null;
        for (int f = 0; f < request.fieldCount; f++) {
            byte kind = request.kinds[f];
            if (request.hopByHop(f)) {
                continue;
            }
            switch (kind) {
                case FieldName.X_FORWARDED_FOR -> {
                    String v = request.value(f);
                    forwardedFor = forwardedFor == null ? v : forwardedFor + ", " + v;
                    continue;
                }
                case FieldName.X_REAL_IP, FieldName.X_FORWARDED_PROTO, FieldName.X_FORWARDED_HOST -> {
                    continue;
                }
                case FieldName.HOST -> {
                    if (request.targetAuthority != null) {
                        continue; // the absolute-form target's authority is the host (RFC 9112 §3.2.2)
                    }
                }
                default -> {
                }
            }
            if (edits && edited(request, f, route)) {
                continue;
            }
            if (kind == FieldName.HOST) {
                hostWritten = true;
            }
            HeadWriter.copyField(out, request, f);
        }
        if (edits) {
            for (Map.Entry<String, String> e : route.setHeaders().entrySet()) {
                HeadWriter.field(out, e.getKey(), e.getValue());
                hostWritten |= e.getKey().equalsIgnoreCase("host");
            }
        }
        if (!hostWritten) {
            // HTTP/1.1 requires Host (RFC 9112 §3.2); nginx's default is the upstream's name too.
            HeadWriter.field(out, "Host", request.targetAuthority != null ? request.targetAuthority : serverName);
        }
        String hop = client.peer().text();
        HeadWriter.field(out, "X-Forwarded-For", forwardedFor == null ? hop : forwardedFor + ", " + hop);
        HeadWriter.field(out, "X-Real-IP", client.text());
        HeadWriter.field(out, "X-Forwarded-Proto", tls ? "https" : "http");
        String host = request.host();
        if (host != null) {
            HeadWriter.field(out, "X-Forwarded-Host", host);
        }
        if (request.chunked) {
            HeadWriter.field(out, "Transfer-Encoding", "chunked");
        }
        if (!http10 && request.websocketUpgrade()) {
            // The one exception to the hop-by-hop rule (nginx's documented WebSocket setup:
            // proxy_set_header Upgrade/Connection): the upstream must see the handshake to
            // answer 101. Only the websocket protocol goes; other Upgrade tokens (h2c) never
            // cross. No "close" even for a connection's last request: after a 101 the connection
            // is the tunnel's, and after any other answer it is retired by its lifetime anyway.
            HeadWriter.field(out, "Upgrade", "websocket");
            HeadWriter.field(out, "Connection", "upgrade");
        } else {
            // HTTP/1.0 closes by default, but nginx says so explicitly and Tomcat is happier for it.
            // keep-alive is redundant in HTTP/1.1, but it is what makes Tomcat answer with
            // "Keep-Alive: timeout=N": its idle timeout, which Porter needs to never reuse a
            // connection Tomcat is about to close (a POST on such a connection cannot be replayed).
            HeadWriter.field(out, "Connection", http10 || lastOnConnection ? "close" : "keep-alive");
        }
        out.writeShort(HeadWriter.CRLF);
        return out;
    }

    /** Whether the route removes or replaces field {@code f}. */
    private static boolean edited(MessageHead request, int f, RouteConfig route) {
        int start = request.spans[f * 4];
        int length = request.spans[f * 4 + 1] - start;
        for (String name : route.removeHeaders()) {
            if (FieldName.is(request.bytes, start, length, name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        for (String name : route.setHeaders().keySet()) {
            if (FieldName.is(request.bytes, start, length, name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}

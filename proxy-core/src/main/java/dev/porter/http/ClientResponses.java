package dev.porter.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Prepares an upstream response head for the client: hop-by-hop fields removed, HTTP/1.1
 * status line, and framing chosen for this client (RFC 9112 §6.3): a Content-Length is kept;
 * otherwise the body is re-chunked for an HTTP/1.1 client, or delimited by closing the
 * connection for an HTTP/1.0 one.
 */
public final class ClientResponses {
    private ClientResponses() {
    }

    /**
     * Edits {@code response} in place.
     *
     * @param keepAlive whether Porter would keep the client connection after this response
     * @return whether the connection is kept after all (a close-delimited body forces a close)
     */
    public static boolean prepare(HttpResponse response, HttpMethod method, HttpVersion clientVersion, boolean keepAlive) {
        int code = response.status().code();
        HopByHopHeaders.strip(response.headers());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        boolean bodyless = method.equals(HttpMethod.HEAD) || code == 204 || code == 304 || code < 200;
        if (!bodyless && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (clientVersion.equals(HttpVersion.HTTP_1_1)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            } else {
                keepAlive = false;
            }
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!clientVersion.isKeepAliveDefault()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return keepAlive;
    }
}

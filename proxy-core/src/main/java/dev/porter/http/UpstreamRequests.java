package dev.porter.http;

import dev.porter.client.ClientAddress;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamHttpVersion;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Map;

/**
 * Builds the request head sent upstream from the client's: same method and request target
 * byte for byte, end-to-end headers only, the route's header edits, forwarding headers, and
 * the framing and connection fields of the upstream hop. A client's {@code Connection: close}
 * never reaches the upstream: it is hop-by-hop, and ending the client connection is no reason
 * to end a pooled upstream one.
 */
public final class UpstreamRequests {
    private UpstreamRequests() {
    }

    /**
     * @param serverName       host:port of the upstream server, the Host for a client that sent none (HTTP/1.0)
     * @param lastOnConnection Porter will retire the upstream connection after this request and
     *                         wants the upstream to close it (close-initiator = upstream)
     * @param clientTls        the client connection is TLS (X-Forwarded-Proto)
     */
    public static HttpRequest build(HttpRequest client, RouteConfig route, UpstreamHttpVersion version,
                                    ClientAddress clientAddress, String serverName,
                                    boolean lastOnConnection, boolean clientTls) {
        HttpHeaders headers = client.headers().copy();
        boolean chunked = HttpUtil.isTransferEncodingChunked(client);
        String host = client.headers().get(HttpHeaderNames.HOST);
        HopByHopHeaders.strip(headers);
        for (String name : route.removeHeaders()) {
            headers.remove(name);
        }
        for (Map.Entry<String, String> e : route.setHeaders().entrySet()) {
            headers.set(e.getKey(), e.getValue());
        }
        if (!headers.contains(HttpHeaderNames.HOST)) {
            // HTTP/1.1 requires Host (RFC 9112 §3.2); nginx's default is the upstream's name too.
            headers.set(HttpHeaderNames.HOST, serverName);
        }
        ForwardedHeaders.apply(headers, clientAddress, host, clientTls);
        HttpVersion httpVersion = version == UpstreamHttpVersion.HTTP_1_0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (version == UpstreamHttpVersion.HTTP_1_0 || lastOnConnection) {
            // HTTP/1.0 closes by default, but nginx says so explicitly and Tomcat is happier for it.
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else {
            // Redundant in HTTP/1.1, but it is what makes Tomcat answer with
            // "Keep-Alive: timeout=N": its idle timeout, which Porter needs to never reuse a
            // connection Tomcat is about to close (a POST on such a connection cannot be replayed).
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return new DefaultHttpRequest(httpVersion, client.method(), client.uri(), headers);
    }
}

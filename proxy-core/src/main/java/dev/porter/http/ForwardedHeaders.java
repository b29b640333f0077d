package dev.porter.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Tells the upstream who the client was: appends the client address to
 * {@code X-Forwarded-For}, and sets {@code X-Real-IP}, {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Host} (nginx's usual {@code proxy_set_header} lines, built in).
 */
public final class ForwardedHeaders {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");

    private ForwardedHeaders() {
    }

    /**
     * @param host the client's Host header (null if it sent none)
     * @param tls  the client connection is TLS: {@code X-Forwarded-Proto: https}
     */
    public static void apply(HttpHeaders headers, SocketAddress client, String host, boolean tls) {
        String ip = clientIp(client);
        String previous = String.join(", ", headers.getAll(X_FORWARDED_FOR));
        headers.set(X_FORWARDED_FOR, previous.isEmpty() ? ip : previous + ", " + ip);
        headers.set(X_REAL_IP, ip);
        headers.set(X_FORWARDED_PROTO, tls ? "https" : "http");
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
    }

    public static String clientIp(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress a = inet.getAddress();
            return a != null ? a.getHostAddress() : inet.getHostString();
        }
        return String.valueOf(address);
    }
}

package dev.porter.http;

import dev.porter.client.ClientAddress;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Tells the upstream who the client was: appends the connection's address to
 * {@code X-Forwarded-For}, and sets {@code X-Real-IP}, {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Host} (nginx's usual {@code proxy_set_header} lines, built in).
 *
 * <p>{@code X-Forwarded-For} gets the peer, the hop Porter saw (the socket's address, or the
 * PROXY header's source), even when a trusted peer named another client (real IP): each hop
 * appends the address it saw, so the list stays a record of the hops. {@code X-Real-IP} gets
 * the client. nginx's {@code $proxy_add_x_forwarded_for} appends {@code $remote_addr}, which its
 * realip module replaces, so there the two differ.
 */
public final class ForwardedHeaders {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");

    private ForwardedHeaders() {
    }

    /**
     * @param client the request's client address
     * @param host   the client's Host header (null if it sent none)
     * @param tls    the client connection is TLS: {@code X-Forwarded-Proto: https}
     */
    public static void apply(HttpHeaders headers, ClientAddress client, String host, boolean tls) {
        String hop = client.peer().text();
        String previous = String.join(", ", headers.getAll(X_FORWARDED_FOR));
        headers.set(X_FORWARDED_FOR, previous.isEmpty() ? hop : previous + ", " + hop);
        headers.set(X_REAL_IP, client.text());
        headers.set(X_FORWARDED_PROTO, tls ? "https" : "http");
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
    }
}

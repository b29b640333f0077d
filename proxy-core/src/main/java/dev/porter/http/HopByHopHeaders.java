package dev.porter.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes the hop-by-hop fields of RFC 9110 §7.6.1 from a message crossing the proxy:
 * they describe one connection, never the next one. Applied to requests going upstream and
 * to responses going back to the client; the framing fields are set again by whoever writes
 * the message on the other side.
 */
public final class HopByHopHeaders {
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final AsciiString[] ALWAYS = {
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE,
    };

    private HopByHopHeaders() {
    }

    /** Removes every hop-by-hop field, including every field named in {@code Connection}. */
    public static void strip(HttpHeaders headers) {
        List<String> named = connectionOptions(headers);
        for (AsciiString name : ALWAYS) {
            headers.remove(name);
        }
        for (String name : named) {
            headers.remove(name);
        }
    }

    /** The field names listed in every {@code Connection} header, as written. */
    static List<String> connectionOptions(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(2);
        for (String value : values) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return names;
    }
}

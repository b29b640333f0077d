package dev.porter.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Reads the {@code timeout=N} parameter of a response's {@code Keep-Alive} header (RFC 2068
 * §19.7.1.1, still sent by Tomcat and others): how long the upstream will keep the
 * connection open while idle. Porter must hand the connection out again well before that.
 */
public final class KeepAliveHint {
    private KeepAliveHint() {
    }

    /** The timeout in seconds, or -1 when the header or its parameter is absent or malformed. */
    public static long timeoutSeconds(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.KEEP_ALIVE);
        return value == null ? -1 : timeoutSeconds(value);
    }

    /** The timeout in seconds of a Keep-Alive field's value, or -1 when absent or malformed. */
    public static long timeoutSeconds(String value) {
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "timeout=", 0, 8)) {
                try {
                    long seconds = Long.parseLong(p.substring(8).trim());
                    return seconds >= 0 ? seconds : -1;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}

package dev.porter.http;

/**
 * Reads the {@code timeout=N} parameter of a response's {@code Keep-Alive} header (RFC 2068
 * §19.7.1.1, still sent by Tomcat and others): how long the upstream will keep the
 * connection open while idle. Porter must hand the connection out again well before that.
 */
final class KeepAliveHint {
    private KeepAliveHint() {
    }

    /** The timeout in seconds of a Keep-Alive field's value, or -1 when absent or malformed. */
    static long timeoutSeconds(String value) {
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

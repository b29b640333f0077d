package dev.porter.config;

/** The HTTP version Porter speaks to an upstream. */
public enum UpstreamHttpVersion {
    /** Persistent connections, pooled. */
    HTTP_1_1,
    /** One connection per request with {@code Connection: close}: nginx's old default. */
    HTTP_1_0;

    static UpstreamHttpVersion parse(String v) {
        switch (v) {
            case "1.1":
                return HTTP_1_1;
            case "1.0":
                return HTTP_1_0;
            default:
                return null;
        }
    }
}

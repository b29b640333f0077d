package dev.porter.config;

/** Conditions on which a request is passed to the next server (nginx proxy_next_upstream). */
public enum NextUpstream {
    ERROR, TIMEOUT, HTTP_502, HTTP_503, HTTP_504;

    static NextUpstream parse(String v) {
        switch (v) {
            case "error":
                return ERROR;
            case "timeout":
                return TIMEOUT;
            case "http_502":
                return HTTP_502;
            case "http_503":
                return HTTP_503;
            case "http_504":
                return HTTP_504;
            default:
                return null;
        }
    }
}

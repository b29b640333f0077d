package dev.porter.bench.load;

/** What the load generator does with its connection after each response. */
public enum ClientConnection {
    /** Reuse it for the next request (HTTP/1.1 keepalive). */
    KEEPALIVE,
    /** Send {@code Connection: close}: the server closes first and holds TIME_WAIT. */
    CLOSE_HEADER,
    /** Send no close header but close after the response: the client holds TIME_WAIT. */
    CLIENT_CLOSES
}

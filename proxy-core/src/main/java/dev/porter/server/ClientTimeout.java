package dev.porter.server;

/** The client-side timeouts, as {@link ClientTimeouts} reports them to {@link ClientConnectionHandler}. */
enum ClientTimeout {
    /** No new request within keepalive-timeout: close quietly. */
    KEEPALIVE,
    /** The request's header block did not arrive within client-header-timeout: 408. */
    HEADER,
    /** A pause in the request body longer than client-body-timeout: 408. */
    BODY
}

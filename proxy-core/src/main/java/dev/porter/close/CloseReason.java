package dev.porter.close;

import java.util.Locale;

/** Why a connection ended; counted per pool and shown in /status under these names. */
public enum CloseReason {
    /** Idle in the pool longer than keepalive-timeout (or the upstream's Keep-Alive hint). */
    IDLE_TIMEOUT,
    /** Served its share of keepalive-requests ({@link ConnectionLifetime#forOneConnection}). */
    KEEPALIVE_REQUESTS,
    /** Older than its share of keepalive-time. */
    KEEPALIVE_TIME,
    /** The pool already held keepalive idle connections; the least recently used one goes. */
    POOL_FULL,
    /**
     * The server's max-conns is reached and a request of another worker waits for a slot: an
     * idle (or just released) connection here closes to make room for it.
     */
    MAX_CONNS,
    /** Pooling is off for the group (keepalive = 0 or http-version "1.0"). */
    NOT_POOLED,
    /** The upstream closed, said Connection: close, or answered HTTP/1.0 without keep-alive. */
    UPSTREAM_CLOSE,
    /** The response ended before the request body was fully sent: the connection's state is unknown. */
    BODY_NOT_SENT,
    /** An I/O error, a malformed message, or an unexpected byte on an idle connection. */
    ERROR,
    /** No response byte within read-timeout. */
    TIMEOUT,
    /** The client went away mid-exchange. */
    CLIENT_ABORT,
    /** Porter is shutting down. */
    SHUTDOWN,
    /** A WebSocket tunnel ended on the client's side (its close, FIN or an error): Porter closed the upstream. */
    TUNNEL_CLOSED,
    /** A WebSocket tunnel carried no byte for tunnel-timeout. */
    TUNNEL_TIMEOUT;

    /** The kebab-case name used in /status and metrics. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

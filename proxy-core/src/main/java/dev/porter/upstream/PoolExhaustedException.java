package dev.porter.upstream;

/**
 * A connection cap was reached and its wait queue was full or timed out: the client gets 503.
 * Either the worker's {@code max-connections} or the server's {@code max-conns}.
 */
public final class PoolExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private PoolExhaustedException(String message) {
        super(message, null, false, false);
    }

    static PoolExhaustedException maxConnections(String server, int maxConnections) {
        return new PoolExhaustedException("max-connections " + maxConnections + " reached for " + server + " on this worker");
    }

    static PoolExhaustedException maxConns(String server, int maxConns) {
        return new PoolExhaustedException("max-conns " + maxConns + " reached for " + server
                + " and no connection freed up within queue-timeout");
    }
}

package dev.porter.upstream;

/** max-connections was reached and the wait queue was full or timed out: the client gets 503. */
public final class PoolExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PoolExhaustedException(String server, int maxConnections) {
        super("max-connections " + maxConnections + " reached for " + server, null, false, false);
    }
}

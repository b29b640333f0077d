package dev.porter.upstream;

import dev.porter.config.ServerConfig;

/**
 * Passive health of one server as seen by one worker (nginx's max_fails / fail_timeout):
 * {@code max-fails} failures within {@code fail-timeout} take it out for {@code fail-timeout}.
 * Per worker, like the rest of the request path, so it needs no locks; each worker learns
 * of a dead server from its own failures.
 */
final class ServerHealth {
    private final ServerConfig server;
    private int fails;
    private long windowStart;
    private long downUntil;

    ServerHealth(ServerConfig server) {
        this.server = server;
    }

    boolean isAvailable(long now) {
        return server.maxFails() == 0 || now - downUntil >= 0;
    }

    void failed(long now) {
        if (server.maxFails() == 0) {
            return;
        }
        long window = server.failTimeout().toNanos();
        if (now - windowStart > window) {
            windowStart = now;
            fails = 0;
        }
        if (++fails >= server.maxFails()) {
            downUntil = now + window;
            fails = 0;
            windowStart = now;
        }
    }

    void succeeded() {
        fails = 0;
    }
}

package dev.porter.upstream;

import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;

/**
 * One server of one upstream group as every worker shares it: its passive health and its
 * connection slots under {@code max-conns}. The workers' pools toward it are per worker; this
 * is what must be seen across them. Kept across reloads for as long as the group still lists the
 * server, so that connections opened before a reload keep counting against the cap and a server
 * that is out stays out.
 *
 * @param lone the group's only server, which is never taken out
 */
public record UpstreamServer(String upstream, ServerConfig config, boolean lone, ServerHealth health,
                             ConnectionSlots slots) {

    static UpstreamServer of(UpstreamConfig group, ServerConfig server) {
        return new UpstreamServer(group.name(), server, group.servers().size() == 1, new ServerHealth(),
                new ConnectionSlots(server.maxConns()));
    }

    /** The same shared state under a new configuration. */
    UpstreamServer reconfigured(UpstreamConfig group, ServerConfig server) {
        slots.limit(server.maxConns());
        return new UpstreamServer(group.name(), server, group.servers().size() == 1, health, slots);
    }

    /** Whether a request may go to the server now. */
    boolean isAvailable(long now) {
        return health.isAvailable(config, lone, now);
    }

    /** @return whether this failure took the server out */
    boolean failed(String reason, long now) {
        return health.failed(config, lone, reason, now);
    }
}

package dev.porter.upstream;

import dev.porter.close.PortBudgetGuard;
import io.netty.util.concurrent.Ticker;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;

import java.net.InetAddress;
import java.util.List;

/**
 * One server of one upstream group as every worker shares it: its passive health, its
 * connection slots under {@code max-conns}, and the guard on the local ports Porter holds toward
 * it. The workers' pools toward it are per worker; this is what must be seen across them. Kept
 * across reloads for as long as the group still lists the server, so that connections opened
 * before a reload keep counting, and a server that is out stays out.
 *
 * @param lone            the group's only server, which is never taken out
 * @param sourceAddresses local addresses to connect from, in turn; empty = the kernel's choice
 */
public record UpstreamServer(String upstream, ServerConfig config, boolean lone, ServerHealth health,
                             ConnectionSlots slots, PortBudgetGuard portGuard, List<InetAddress> sourceAddresses) {

    static UpstreamServer of(UpstreamConfig group, ServerConfig server, int portRange) {
        ConnectionSlots slots = new ConnectionSlots(server.maxConns());
        List<InetAddress> sources = sources(group, server);
        PortBudgetGuard guard = new PortBudgetGuard(group.name() + " " + server.name(),
                budget(portRange, sources), group.portBudgetGuard(), slots::open, Ticker.systemTicker()::nanoTime);
        return new UpstreamServer(group.name(), server, group.servers().size() == 1, new ServerHealth(), slots, guard,
                sources);
    }

    /** The same shared state under a new configuration. */
    UpstreamServer reconfigured(UpstreamConfig group, ServerConfig server, int portRange) {
        slots.limit(server.maxConns());
        List<InetAddress> sources = sources(group, server);
        portGuard.reconfigure(budget(portRange, sources), group.portBudgetGuard());
        return new UpstreamServer(group.name(), server, group.servers().size() == 1, health, slots, portGuard, sources);
    }

    private static List<InetAddress> sources(UpstreamConfig group, ServerConfig server) {
        return server.sourceAddresses().isEmpty() ? group.sourceAddresses() : server.sourceAddresses();
    }

    /** Each source address has the whole port range toward each server (the 4-tuple must be unique). */
    private static int budget(int portRange, List<InetAddress> sources) {
        return portRange * Math.max(1, sources.size());
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

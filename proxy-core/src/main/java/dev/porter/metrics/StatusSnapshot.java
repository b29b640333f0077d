package dev.porter.metrics;

import java.time.Instant;
import java.util.List;

/**
 * Every worker's counters at one moment, and the servers' state shared by the workers: what
 * /status and /metrics are made of.
 */
public record StatusSnapshot(Instant at, int workers, List<ClientSnapshot> clients, List<PoolSnapshot> pools,
                             List<ServerSnapshot> servers) {
    public StatusSnapshot {
        clients = List.copyOf(clients);
        pools = List.copyOf(pools);
        servers = List.copyOf(servers);
    }
}

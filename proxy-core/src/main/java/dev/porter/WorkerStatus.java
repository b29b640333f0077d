package dev.porter;

import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.ServerSnapshot;
import dev.porter.metrics.StatusSnapshot;
import dev.porter.server.Worker;
import dev.porter.upstream.ServerHealth;
import dev.porter.upstream.UpstreamServer;
import dev.porter.upstream.UpstreamServers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers a {@link StatusSnapshot}: every worker's counters, read by a task on that worker's own
 * loop (so the hot path needs no atomics), and the servers' state shared by all workers.
 *
 * <p>Stateless; callable from any thread: the workers complete the future it returns.
 */
final class WorkerStatus {
    private WorkerStatus() {
    }

    private record WorkerView(ClientSnapshot client, List<PoolSnapshot> pools) {
    }

    static CompletableFuture<StatusSnapshot> gather(List<Worker> workers, UpstreamServers servers) {
        List<CompletableFuture<WorkerView>> views = new ArrayList<>();
        for (Worker w : workers) {
            CompletableFuture<WorkerView> cf = new CompletableFuture<>();
            try {
                w.loop().execute(() -> cf.complete(new WorkerView(w.clientSnapshot(), w.poolSnapshots())));
            } catch (RuntimeException rejected) {
                cf.completeExceptionally(rejected);
            }
            views.add(cf);
        }
        return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<ClientSnapshot> clients = new ArrayList<>();
            List<PoolSnapshot> pools = new ArrayList<>();
            for (CompletableFuture<WorkerView> v : views) {
                clients.add(v.join().client());
                pools.addAll(v.join().pools());
            }
            return new StatusSnapshot(Instant.now(), workers.size(), clients, pools, serverSnapshots(servers));
        });
    }

    private static List<ServerSnapshot> serverSnapshots(UpstreamServers servers) {
        List<ServerSnapshot> out = new ArrayList<>();
        for (UpstreamServer s : servers.all()) {
            ServerHealth.LastFailure last = s.health().lastFailure();
            out.add(new ServerSnapshot(s.upstream(), s.config().name(), s.lone(), s.health().isDown(),
                    s.health().downUntil(), s.health().fails(), last == null ? null : last.at(),
                    last == null ? null : last.reason(), s.slots().open(), s.slots().limit(), s.slots().queued(),
                    s.portGuard().engaged(), s.portGuard().held(), s.portGuard().budget(),
                    s.portGuard().thresholdPercent(),
                    s.sourceAddresses().stream().map(java.net.InetAddress::getHostAddress).toList()));
        }
        return out;
    }
}

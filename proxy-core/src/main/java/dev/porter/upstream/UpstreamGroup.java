package dev.porter.upstream;

import dev.porter.config.Balance;
import dev.porter.config.UpstreamConfig;

import java.util.List;
import java.util.Set;

/**
 * One upstream group as seen by one worker: a pool per server, the balancer's state and the
 * servers' passive health. Picks the server for each try of a request. Confined to the
 * worker's event loop.
 */
public final class UpstreamGroup {
    private final UpstreamConfig config;
    private final List<KeepalivePool> pools;
    private final ServerHealth[] health;
    private final int[] currentWeight;
    private int leastConnStart;

    UpstreamGroup(UpstreamConfig config, List<KeepalivePool> pools) {
        this.config = config;
        this.pools = List.copyOf(pools);
        this.health = new ServerHealth[pools.size()];
        for (int i = 0; i < health.length; i++) {
            health[i] = new ServerHealth(pools.get(i).server());
        }
        this.currentWeight = new int[pools.size()];
    }

    public UpstreamConfig config() {
        return config;
    }

    public List<KeepalivePool> pools() {
        return pools;
    }

    /**
     * The pool of the server for the next try, skipping servers already tried for this
     * request and servers marked down; null when none is left.
     */
    public KeepalivePool pick(Set<KeepalivePool> tried) {
        long now = System.nanoTime();
        int chosen = config.balance() == Balance.LEAST_CONN ? leastConn(tried, now) : smoothWeighted(tried, now);
        return chosen < 0 ? null : pools.get(chosen);
    }

    /**
     * nginx's smooth weighted round-robin: every server gains its weight, the richest is
     * chosen and pays the total, which interleaves servers instead of bursting on one.
     */
    private int smoothWeighted(Set<KeepalivePool> tried, long now) {
        int best = -1;
        int total = 0;
        for (int i = 0; i < pools.size(); i++) {
            if (!eligible(i, tried, now)) {
                continue;
            }
            int weight = pools.get(i).server().weight();
            currentWeight[i] += weight;
            total += weight;
            if (best < 0 || currentWeight[i] > currentWeight[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            currentWeight[best] -= total;
        }
        return best;
    }

    /** Fewest requests in flight relative to weight; ties rotate so that load spreads. */
    private int leastConn(Set<KeepalivePool> tried, long now) {
        int best = -1;
        int n = pools.size();
        for (int k = 0; k < n; k++) {
            int i = (leastConnStart + k) % n;
            if (!eligible(i, tried, now)) {
                continue;
            }
            if (best < 0 || (long) pools.get(i).active() * pools.get(best).server().weight()
                    < (long) pools.get(best).active() * pools.get(i).server().weight()) {
                best = i;
            }
        }
        leastConnStart = (leastConnStart + 1) % n;
        return best;
    }

    private boolean eligible(int i, Set<KeepalivePool> tried, long now) {
        return !tried.contains(pools.get(i)) && health[i].isAvailable(now);
    }

    public void failed(KeepalivePool pool) {
        health[pools.indexOf(pool)].failed(System.nanoTime());
    }

    public void succeeded(KeepalivePool pool) {
        health[pools.indexOf(pool)].succeeded();
    }
}

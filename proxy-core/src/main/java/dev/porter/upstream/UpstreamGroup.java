package dev.porter.upstream;

import dev.porter.config.Balance;
import dev.porter.config.UpstreamConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * One upstream group as seen by one worker: a pool per server and the balancer's state. Picks
 * the server for each try of a request, skipping servers that are out (their health is shared
 * by all workers, see {@link ServerHealth}) and, while another has room, servers whose
 * {@code max-conns} is reached. Confined to the worker's event loop.
 */
public final class UpstreamGroup {
    private static final Logger logger = LoggerFactory.getLogger(UpstreamGroup.class);

    private final UpstreamConfig config;
    private final List<KeepalivePool> pools;
    private final int[] currentWeight;
    private int leastConnStart;

    UpstreamGroup(UpstreamConfig config, List<KeepalivePool> pools) {
        this.config = config;
        this.pools = List.copyOf(pools);
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
     * request and servers that are out; null when none is left. A server at its max-conns is
     * chosen only when every other candidate is too (the request then waits for a slot).
     */
    public KeepalivePool pick(Set<KeepalivePool> tried) {
        long now = System.nanoTime();
        int chosen = pick(tried, now, true);
        if (chosen < 0) {
            chosen = pick(tried, now, false);
        }
        return chosen < 0 ? null : pools.get(chosen);
    }

    private int pick(Set<KeepalivePool> tried, long now, boolean withRoom) {
        return config.balance() == Balance.LEAST_CONN ? leastConn(tried, now, withRoom)
                : smoothWeighted(tried, now, withRoom);
    }

    /**
     * nginx's smooth weighted round-robin: every server gains its weight, the richest is
     * chosen and pays the total, which interleaves servers instead of bursting on one.
     */
    private int smoothWeighted(Set<KeepalivePool> tried, long now, boolean withRoom) {
        int best = -1;
        int total = 0;
        for (int i = 0; i < pools.size(); i++) {
            if (!eligible(i, tried, now, withRoom)) {
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
    private int leastConn(Set<KeepalivePool> tried, long now, boolean withRoom) {
        int best = -1;
        int n = pools.size();
        for (int k = 0; k < n; k++) {
            int i = (leastConnStart + k) % n;
            if (!eligible(i, tried, now, withRoom)) {
                continue;
            }
            if (best < 0 || (long) pools.get(i).active() * pools.get(best).server().weight()
                    < (long) pools.get(best).active() * pools.get(i).server().weight()) {
                best = i;
            }
        }
        if (best >= 0 || !withRoom) {
            leastConnStart = (leastConnStart + 1) % n;
        }
        return best;
    }

    private boolean eligible(int i, Set<KeepalivePool> tried, long now, boolean withRoom) {
        KeepalivePool p = pools.get(i);
        return !tried.contains(p) && p.shared().isAvailable(now) && !(withRoom && p.saturated());
    }

    /** A try on {@code pool}'s server failed for {@code reason}; counts toward its max-fails. */
    public void failed(KeepalivePool pool, String reason) {
        if (pool.shared().failed(reason, System.nanoTime())) {
            logger.warn("upstream server {} of \"{}\" is out for {} after {} failure(s) within it; last: {}",
                    pool.server().name(), config.name(), pool.server().failTimeout(), pool.server().maxFails(), reason);
        }
    }

    public void succeeded(KeepalivePool pool) {
        pool.shared().health().succeeded();
    }
}

package dev.porter.metrics;

import dev.porter.config.ProxyConfig;
import dev.porter.config.UpstreamConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells the operator when a pool is too small: compares successive snapshots, and when
 * connections keep being let go for the pool's size under steady load (surplus closes in
 * several windows in a row) while a worker's peak of requests in flight exceeds
 * {@code keepalive}, logs one WARN line with the numbers and a keepalive that would hold the
 * peak. This is the first incident's cause ("keepalive set too small"), caught before the ports
 * run out. Connections opened to replace planned retirements ({@code keepalive-requests},
 * {@code keepalive-time}, idle timeouts, the upstream's own closes) are churn too, but a larger
 * keepalive would not save them, so they never make the advice.
 *
 * <p>Called from one thread at a time (a periodic task), never on the request path.
 */
public final class PoolSizingAdvisor {
    private static final Logger logger = LoggerFactory.getLogger(PoolSizingAdvisor.class);
    /**
     * How often {@code Porter} feeds a snapshot, so the span each piece of advice covers; /status
     * and /metrics name it next to the numbers.
     */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** Fewer requests than this in a window is not "steady load". */
    static final long STEADY_REQUESTS = 100;
    /** Windows in a row with churn before the warning. */
    static final int WINDOWS = 3;

    private final Map<String, long[]> previous = new HashMap<>();
    private final Map<String, Integer> churnStreak = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private volatile List<SizingAdvice> latest = List.of();

    /** Feeds one snapshot; returns the advice for the window since the previous one. */
    public synchronized List<SizingAdvice> observe(StatusSnapshot snapshot, ProxyConfig config) {
        Map<String, long[]> totals = new HashMap<>();
        Map<String, Integer> peaks = new HashMap<>();
        Map<String, Integer> targets = new HashMap<>();
        for (PoolSnapshot p : snapshot.pools()) {
            String key = p.upstream() + " " + p.server();
            long[] t = totals.computeIfAbsent(key, k -> new long[3]);
            t[0] += p.requests();
            t[1] += p.opened();
            t[2] += p.surplus();
            peaks.merge(key, p.peakActive(), Math::max);
            targets.merge(key, p.keepaliveTarget(), Math::max);
        }
        List<SizingAdvice> advice = new ArrayList<>();
        for (Map.Entry<String, long[]> e : totals.entrySet()) {
            String key = e.getKey();
            String upstream = key.substring(0, key.indexOf(' '));
            String server = key.substring(key.indexOf(' ') + 1);
            UpstreamConfig u = config.upstreams().get(upstream);
            if (u == null) {
                continue;
            }
            long[] before = previous.getOrDefault(key, new long[3]);
            long requests = Math.max(0, e.getValue()[0] - before[0]);
            long opened = Math.max(0, e.getValue()[1] - before[1]);
            long surplus = Math.max(0, e.getValue()[2] - before[2]);
            double churn = requests == 0 ? 0 : opened * 1000.0 / requests;
            int peak = peaks.getOrDefault(key, 0);
            boolean auto = u.keepalive().auto();
            int keepalive = auto ? targets.getOrDefault(key, 0) : u.keepalive().fixed();
            // keepalive = auto follows the peak by itself: there is nothing to recommend. A peak
            // above keepalive that let no connection go (requests still in flight for clients
            // that left while new ones came) costs nothing either.
            int recommended = !auto && peak > keepalive && surplus > 0 ? (int) Math.ceil(peak * 1.25) : 0;
            SizingAdvice a = new SizingAdvice(upstream, server, peak, keepalive, auto, requests, opened, churn, surplus,
                    recommended);
            advice.add(a);
            boolean churning = requests >= STEADY_REQUESTS && surplus > 0 && u.pooling();
            int streak = churning ? churnStreak.getOrDefault(key, 0) + 1 : 0;
            churnStreak.put(key, streak);
            if (streak >= WINDOWS && recommended > 0 && warned.add(key)) {
                logger.warn("upstream {} {}: {} connections let go in the last window because the pool already held"
                                + " keepalive idle ones ({} opened for {} requests); a worker had up to {} requests in flight"
                                + " but keepalive is {}: idle connections beyond {} are closed and reopened, each leaving a"
                                + " TIME_WAIT socket; set keepalive = {} or auto (total idle connections = keepalive x workers)",
                        upstream, server, surplus, opened, requests, peak, keepalive, keepalive, recommended);
            }
        }
        previous.clear();
        previous.putAll(totals);
        latest = List.copyOf(advice);
        return latest;
    }

    /** The advice from the last window. */
    public List<SizingAdvice> latest() {
        return latest;
    }
}

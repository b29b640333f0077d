package dev.porter.bench.scenario;

import dev.porter.bench.proxy.BenchCertificate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one throughput run does.
 *
 * @param concurrencies  client connections, one measurement per value per target per round
 * @param rounds         interleaved rounds: in each round every concurrency, and at each every target
 * @param duration       one measurement
 * @param warmup         unrecorded load per target before the rounds, at the first concurrency, in
 *                       sessions of its own ({@link #warmupSessions})
 * @param porterWarmup   the same for Porter (its JIT), which may need longer than the others
 * @param levelWarmup    unrecorded load per target at each later concurrency, just before the
 *                       first round measures it there: a load that changes is met by pools that
 *                       grow and, in Porter, by a JIT that compiles again, which the first
 *                       measurement would otherwise hold and the later ones not
 * @param workers        Porter's workers = nginx's worker_processes = HAProxy's nbthread
 * @param keepalive      idle upstream connections per worker; 0 = the largest concurrency
 * @param origin         static or tomcat
 * @param peers          nginx, haproxy (those installed run)
 * @param haproxyReuse   HAProxy's http-reuse
 * @param newConnectionPerRequest clients open a connection for every request
 * @param tls            every proxy's listener speaks TLS with the same certificates, the clients https
 * @param tlsKeys        which certificates (RSA, ECDSA or both for one name)
 */
public record ThroughputPlan(List<Integer> concurrencies, int rounds, Duration duration, Duration warmup,
        Duration porterWarmup, Duration levelWarmup, int workers, int keepalive, String origin, List<String> peers, String haproxyReuse,
        boolean newConnectionPerRequest, boolean tls, BenchCertificate.Keys tlsKeys) {
    public ThroughputPlan {
        concurrencies = List.copyOf(concurrencies);
        peers = List.copyOf(peers);
        if (concurrencies.isEmpty() || concurrencies.stream().anyMatch(c -> c < 1) || rounds < 1 || workers < 1) {
            throw new IllegalArgumentException("concurrency values, rounds and workers must be >= 1");
        }
    }

    /**
     * The unrecorded load every target gets at {@code concurrency} just before round
     * {@code round} measures it: {@link #levelWarmup} in the first round at every concurrency but
     * the first (which the warm-up itself ran at), nothing otherwise.
     */
    public Duration warmupBefore(int round, int concurrency) {
        return round == 1 && concurrency != concurrencies.get(0) ? levelWarmup : Duration.ZERO;
    }

    /**
     * A warm-up of {@code total} cut into sessions as long as one measurement (the last may be
     * shorter), each on connections of its own, as the rounds will be: every measurement opens
     * its connections and closes them at its end. A JIT that has seen one set of connections only
     * throws away its compiled read path the first time connections close and new ones arrive (a
     * branch or a class it never saw there: docs/bench/2026-12-02-adaptation/deopt-reasons.txt),
     * and the first round would hold the seconds it takes to compile it again, where production
     * traffic, whose connections come and go all the time, never pays them.
     */
    public List<Duration> warmupSessions(Duration total) {
        List<Duration> sessions = new ArrayList<>();
        for (Duration left = total; left.compareTo(Duration.ZERO) > 0; left = left.minus(duration)) {
            sessions.add(left.compareTo(duration) < 0 ? left : duration);
        }
        return sessions;
    }

    /**
     * Every target's warm-up sessions ({@link #warmupSessions}) in the order they run: in turn, as
     * the rounds take the targets, while a target has sessions left. So a target waits between its
     * first sessions as long as it will before each round, while the others run, and what a wait
     * brings is seen in the warm-up and not in the first round: Porter's upstream connections idle
     * out ({@code keepalive-timeout}) and its pool connects anew under load, a branch its compiled
     * request path had never taken when the sessions ran back to back (round 1 then recompiled it:
     * docs/bench/2026-12-03-repeat).
     *
     * @param totals each target's warm-up, in the rounds' order of targets
     */
    public List<Map.Entry<String, Duration>> warmupOrder(Map<String, Duration> totals) {
        Map<String, List<Duration>> sessions = new LinkedHashMap<>();
        totals.forEach((target, total) -> sessions.put(target, warmupSessions(total)));
        List<Map.Entry<String, Duration>> order = new ArrayList<>();
        while (sessions.values().stream().anyMatch(s -> !s.isEmpty())) {
            for (Map.Entry<String, List<Duration>> e : sessions.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    order.add(Map.entry(e.getKey(), e.getValue().remove(0)));
                }
            }
        }
        return order;
    }

    /** Idle upstream connections per worker every proxy gets. */
    public int pool() {
        return keepalive > 0 ? keepalive : concurrencies.stream().mapToInt(Integer::intValue).max().orElse(1);
    }
}

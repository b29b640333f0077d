package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Porter's requests/s second by second from a cold start (goal: within 10 s of start, at least
 * 80% of steady state). Seconds count from the moment the JVM was spawned; the load starts as
 * soon as the listener accepts ({@code listening_after_s}).
 *
 * @param steadyRps                mean requests/s over the last {@code steadyWindowSeconds} of the run
 * @param firstSecondAt80Percent   the end of the first one-second sample at or above 80% of steady
 *                                 state, in seconds since spawn; null if none was
 * @param shareOfSteadyInFirst10s  requests served in the first 10 s after spawn divided by what
 *                                 steady state serves in 10 s
 * @param perSecondRps             one entry per second of load, the first covering
 *                                 [listening_after_s, listening_after_s + 1)
 * @param perSecondCpuMillis       Porter's CPU (user + sys) in each of those seconds, in ms
 * @param cpuMicrosPerRequestBy10s Porter's CPU per request over each 10 s of load: the JIT's
 *                                 progress, which (unlike requests/s) does not depend on how much
 *                                 CPU other processes left Porter
 * @param startupCpuSeconds        Porter's CPU (user + sys, all threads) from spawn until it
 *                                 listened; null if unreadable
 * @param cpuSecondsTo80Percent    Porter's CPU from spawn to the end of the first second of load
 *                                 that starts {@value #SUSTAINED} seconds in a row whose CPU per request
 *                                 was within 1.25x of steady state's (so that a core doing nothing else
 *                                 serves 80% of steady-state requests/s); null if there were none or CPU
 *                                 was unreadable. Unlike the seconds to 80%, it does not grow when other
 *                                 processes take the CPU: with Porter pinned to one core, the wall time to
 *                                 80% can be no shorter. A run of seconds, not one: CPU is read in 10 ms
 *                                 ticks, so a second with a few requests and no tick would pass alone
 */
public record WarmupResult(
        @JsonProperty("listening_after_s") double listeningAfterSeconds,
        @JsonProperty("steady_rps") double steadyRps,
        @JsonProperty("steady_window_s") int steadyWindowSeconds,
        @JsonProperty("first_second_at_80pct_s") Double firstSecondAt80Percent,
        @JsonProperty("share_of_steady_in_first_10s") double shareOfSteadyInFirst10s,
        @JsonProperty("per_second_rps") List<Double> perSecondRps,
        @JsonProperty("per_second_cpu_ms") List<Double> perSecondCpuMillis,
        @JsonProperty("cpu_us_per_request_by_10s") List<Double> cpuMicrosPerRequestBy10s,
        @JsonProperty("startup_cpu_s") Double startupCpuSeconds,
        @JsonProperty("cpu_s_to_80pct") Double cpuSecondsTo80Percent) {

    static final int SUSTAINED = 3;

    /** As {@link #of(double, Double, List, List, int)} without CPU readings from before the load. */
    public static WarmupResult of(double listeningAfter, List<Double> rps, List<Double> cpuMillis, int window) {
        return of(listeningAfter, null, rps, cpuMillis, window);
    }

    /**
     * Summarises a curve: steady state is the mean of the last {@code window} samples.
     * {@code startupCpuMillis} is Porter's CPU until it listened (null if unknown).
     */
    public static WarmupResult of(double listeningAfter, Double startupCpuMillis, List<Double> rps,
            List<Double> cpuMillis, int window) {
        int n = rps.size();
        int w = Math.max(1, Math.min(window, n));
        double steady = n == 0 ? 0 : rps.subList(n - w, n).stream().mapToDouble(Double::doubleValue).average().orElse(0);
        Double first = null;
        for (int i = 0; i < n; i++) {
            if (steady > 0 && rps.get(i) >= 0.8 * steady) {
                first = listeningAfter + i + 1;
                break;
            }
        }
        // requests in [0, 10 s) after spawn: the samples that end by 10 s, and part of the one straddling it
        double served = 0;
        for (int i = 0; i < n; i++) {
            double start = listeningAfter + i;
            double part = Math.max(0, Math.min(1, 10 - start));
            served += rps.get(i) * part;
        }
        double share = steady == 0 ? 0 : served / (steady * 10);
        return new WarmupResult(listeningAfter, steady, w, first, share, List.copyOf(rps), List.copyOf(cpuMillis),
                cpuPerRequestBy10s(rps, cpuMillis), startupCpuMillis == null ? null : startupCpuMillis / 1000,
                cpuTo80Percent(startupCpuMillis, rps, cpuMillis, w));
    }

    private static Double cpuTo80Percent(Double startupCpuMillis, List<Double> rps, List<Double> cpuMillis, int window) {
        int n = rps.size();
        if (startupCpuMillis == null || cpuMillis.size() != n || n == 0
                || cpuMillis.stream().anyMatch(c -> c == null || c.isNaN())) {
            return null;
        }
        double steadyRequests = 0;
        double steadyCpu = 0;
        for (int i = n - window; i < n; i++) {
            steadyRequests += rps.get(i);
            steadyCpu += cpuMillis.get(i);
        }
        if (steadyRequests == 0) {
            return null;
        }
        double bound = 1.25 * steadyCpu / steadyRequests;
        double cumulative = startupCpuMillis;
        for (int i = 0; i + SUSTAINED <= n; i++) {
            cumulative += cpuMillis.get(i);
            boolean within = true;
            for (int j = i; j < i + SUSTAINED && within; j++) {
                within = rps.get(j) > 0 && cpuMillis.get(j) / rps.get(j) <= bound;
            }
            if (within) {
                return cumulative / 1000;
            }
        }
        return null;
    }

    private static List<Double> cpuPerRequestBy10s(List<Double> rps, List<Double> cpuMillis) {
        List<Double> out = new java.util.ArrayList<>();
        if (cpuMillis.size() != rps.size()) {
            return out;
        }
        for (int i = 0; i < rps.size(); i += 10) {
            double requests = 0;
            double cpu = 0;
            for (int j = i; j < Math.min(i + 10, rps.size()); j++) {
                requests += rps.get(j);
                cpu += cpuMillis.get(j);
            }
            out.add(requests > 0 && !Double.isNaN(cpu) ? 1000 * cpu / requests : null);
        }
        return out;
    }
}

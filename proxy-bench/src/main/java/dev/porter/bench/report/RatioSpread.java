package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ratio (e.g. {@code porter_over_nginx_p99_c50}) over whole runs repeated with fresh
 * processes: on a shared machine one run's ratio moves with the JIT's choices in that process
 * and with the host, so a goal is judged on the spread, not on one value.
 *
 * @param ratio  the ratio's key, as in a run's {@code ratios}
 * @param values its value in each run, in run order; null where a run did not measure it
 */
public record RatioSpread(@JsonProperty("ratio") String ratio, @JsonProperty("values") List<Double> values) {
    public RatioSpread {
        values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** Every ratio any run has, in the first run's order, each with its value in every run. */
    public static List<RatioSpread> of(List<Map<String, Double>> runs) {
        Map<String, List<Double>> byRatio = new LinkedHashMap<>();
        for (Map<String, Double> run : runs) {
            run.keySet().forEach(k -> byRatio.computeIfAbsent(k, x -> new ArrayList<>()));
        }
        byRatio.forEach((k, values) -> runs.forEach(run -> values.add(run.get(k))));
        List<RatioSpread> spreads = new ArrayList<>();
        byRatio.forEach((k, values) -> spreads.add(new RatioSpread(k, values)));
        return spreads;
    }

    private List<Double> measured() {
        return values.stream().filter(v -> v != null && !v.isNaN()).sorted().toList();
    }

    /** The median of the runs that measured it; null if none did. */
    @JsonProperty("median")
    public Double median() {
        List<Double> m = measured();
        if (m.isEmpty()) {
            return null;
        }
        int n = m.size();
        return n % 2 == 1 ? m.get(n / 2) : (m.get(n / 2 - 1) + m.get(n / 2)) / 2;
    }

    @JsonProperty("min")
    public Double min() {
        List<Double> m = measured();
        return m.isEmpty() ? null : m.get(0);
    }

    @JsonProperty("max")
    public Double max() {
        List<Double> m = measured();
        return m.isEmpty() ? null : m.get(m.size() - 1);
    }

    /** How many runs measured it at or below {@code bound} (e.g. p99 ≤ 1.2× nginx's). */
    @JsonIgnore
    public long atOrBelow(double bound) {
        return measured().stream().filter(v -> v <= bound).count();
    }
}

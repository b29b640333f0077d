package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One reading of Porter's port budget guard from {@code /status}
 * ({@code upstreams.<group>.servers.<server>.portGuard}, summed over servers): seconds since the
 * load started, whether the guard was engaged, and Porter's own count of the ports it held
 * toward the backend against the budget.
 */
public record GuardPoint(
        @JsonProperty("t_s") double seconds,
        @JsonProperty("engaged") boolean engaged,
        @JsonProperty("ports_held") int portsHeld,
        @JsonProperty("port_budget") int portBudget) {

    /** Share of the readings in which the guard was engaged; null without readings. */
    public static Double engagedShare(List<GuardPoint> points) {
        if (points.isEmpty()) {
            return null;
        }
        return points.stream().filter(GuardPoint::engaged).count() / (double) points.size();
    }

    /** The largest count of ports held; null without readings. */
    public static Integer maxHeld(List<GuardPoint> points) {
        return points.stream().map(GuardPoint::portsHeld).max(Integer::compare).orElse(null);
    }
}

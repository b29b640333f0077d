package dev.porter.tcp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many sockets of one leg are in each {@link TcpState}: one column of
 * {@code ss -ant | awk '{++s[$1]}'}. Only states that occur are keys of {@link #asMap()};
 * {@link #count} answers 0 for the others.
 *
 * <p>Immutable once built; usable from any thread.
 */
public final class StateCounts {
    static final StateCounts EMPTY = new StateCounts(new EnumMap<>(TcpState.class));

    private final Map<TcpState, Integer> counts;
    private final int total;

    private StateCounts(EnumMap<TcpState, Integer> counts) {
        this.counts = Collections.unmodifiableMap(counts);
        this.total = counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The counts by state, in the kernel's state order; unmodifiable. */
    public Map<TcpState, Integer> asMap() {
        return counts;
    }

    /** How many sockets are in {@code state}; 0 if none. */
    public int count(TcpState state) {
        return counts.getOrDefault(state, 0);
    }

    /** How many sockets the leg has in all. */
    public int total() {
        return total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateCounts other && counts.equals(other.counts);
    }

    @Override
    public int hashCode() {
        return counts.hashCode();
    }

    @Override
    public String toString() {
        return counts.toString();
    }

    /**
     * Accumulates counts while {@link TcpCensus} walks the sockets; confined to that call.
     */
    static final class Builder {
        private final EnumMap<TcpState, Integer> counts = new EnumMap<>(TcpState.class);

        void add(TcpState state) {
            counts.merge(state, 1, Integer::sum);
        }

        StateCounts build() {
            return counts.isEmpty() ? EMPTY : new StateCounts(counts.clone());
        }
    }
}

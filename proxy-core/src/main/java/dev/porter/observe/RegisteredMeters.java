package dev.porter.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The meters one source of snapshots has registered, by the key they read: registered the
 * first time a key shows up, removed from the registry once it is gone (a pool or server
 * dropped by a reload), so that no series reads a made-up value for something that left.
 *
 * <p>Confined to the recording thread.
 */
final class RegisteredMeters {
    private final MeterRegistry registry;
    private final Map<Object, List<Meter>> meters = new HashMap<>();

    RegisteredMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the meters of {@code key} unless they are already. */
    void ensure(Object key, Supplier<List<Meter>> register) {
        meters.computeIfAbsent(key, k -> register.get());
    }

    Set<Object> keys() {
        return meters.keySet();
    }

    /** Removes the meters of every key not in {@code present}. */
    void retain(Set<Object> present) {
        for (Iterator<Map.Entry<Object, List<Meter>>> it = meters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, List<Meter>> e = it.next();
            if (!present.contains(e.getKey())) {
                e.getValue().forEach(registry::remove);
                it.remove();
            }
        }
    }
}

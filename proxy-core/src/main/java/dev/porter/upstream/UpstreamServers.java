package dev.porter.upstream;

import dev.porter.config.ProxyConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared state ({@link UpstreamServer}) of every server of every group, for one
 * configuration; built once, off the event loops, and handed to each worker's
 * {@link UpstreamGroups}. Immutable; the states inside are thread-safe.
 */
public final class UpstreamServers {
    private final Map<String, List<UpstreamServer>> byGroup;

    private UpstreamServers(Map<String, List<UpstreamServer>> byGroup) {
        this.byGroup = byGroup;
    }

    /** @param portRange the size of the kernel's ephemeral port range, for the port budget */
    public static UpstreamServers create(ProxyConfig config, int portRange) {
        return carryOver(null, config, portRange);
    }

    /**
     * The states for {@code next}, reusing those of {@code previous} for servers a group still
     * lists (same group name, same address as written), so that their open connections and
     * health carry over the reload.
     */
    public static UpstreamServers carryOver(UpstreamServers previous, ProxyConfig next, int portRange) {
        Map<String, List<UpstreamServer>> out = new LinkedHashMap<>();
        for (UpstreamConfig group : next.upstreams().values()) {
            List<UpstreamServer> servers = new ArrayList<>();
            for (ServerConfig s : group.servers()) {
                UpstreamServer old = previous == null ? null : previous.find(group.name(), s.name(), servers);
                servers.add(old != null ? old.reconfigured(group, s, portRange) : UpstreamServer.of(group, s, portRange));
            }
            out.put(group.name(), List.copyOf(servers));
        }
        return new UpstreamServers(Collections.unmodifiableMap(out));
    }

    /** A group may list one address twice (two weights of one server): each entry keeps its own state. */
    private UpstreamServer find(String group, String server, List<UpstreamServer> taken) {
        for (UpstreamServer s : byGroup.getOrDefault(group, List.of())) {
            if (s.config().name().equals(server) && taken.stream().noneMatch(t -> t.slots() == s.slots())) {
                return s;
            }
        }
        return null;
    }

    /** The group's servers, in configuration order. */
    public List<UpstreamServer> of(String group) {
        return byGroup.getOrDefault(group, List.of());
    }

    /** Every server of every group, groups in configuration order. */
    public List<UpstreamServer> all() {
        List<UpstreamServer> out = new ArrayList<>();
        byGroup.values().forEach(out::addAll);
        return out;
    }
}

package dev.porter.bench.scenario;

import dev.porter.bench.load.ClientConnection;
import dev.porter.bench.proxy.PoolKeys;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One mode of an incident scenario: the backend's keepalive settings, Porter's upstream
 * settings (or none: load straight to the backend), how the client treats its connection, and
 * the load when the mode has its own.
 *
 * @param pool              Porter's pool keys; null = none written (the shipped defaults); ignored when {@code direct}
 * @param sourceAddresses   the upstream group's {@code source-addresses}; empty = not written
 * @param backendDelay      how long the backend holds each request before it answers; zero = at once
 * @param concurrency       client connections, or null for the run's
 * @param duration          how long the load runs, or null for the run's
 * @param clientAddresses   loopback addresses the clients spread their connections over
 *                          (127.0.0.1, 127.0.0.2, ...), so that the load generator itself never runs
 *                          out of ports toward Porter; more than 1 makes Porter listen on the wildcard
 *                          address, which only the bench's own namespace allows
 */
public record ModeSpec(
        String name,
        boolean direct,
        PoolKeys pool,
        List<String> sourceAddresses,
        ClientConnection client,
        Duration backendKeepAliveTimeout,
        int backendMaxKeepAliveRequests,
        Duration backendDelay,
        Integer concurrency,
        Duration duration,
        int clientAddresses) {

    public ModeSpec {
        Objects.requireNonNull(name, "name");
        sourceAddresses = List.copyOf(sourceAddresses);
        Objects.requireNonNull(backendDelay, "backendDelay");
        if (clientAddresses < 1) {
            throw new IllegalArgumentException("clientAddresses must be >= 1, was " + clientAddresses);
        }
    }

    /**
     * A mode with these pool keys at the run's load, from one client address.
     *
     * @param keepalive         Porter's {@code keepalive}; ignored when {@code direct}
     * @param keepaliveRequests Porter's {@code keepalive-requests}
     */
    public ModeSpec(String name, boolean direct, int keepalive, int keepaliveRequests, String httpVersion,
            String closeInitiator, ClientConnection client, Duration backendKeepAliveTimeout,
            int backendMaxKeepAliveRequests) {
        this(name, direct, new PoolKeys(keepalive, keepaliveRequests, httpVersion, closeInitiator, null), List.of(),
                client, backendKeepAliveTimeout, backendMaxKeepAliveRequests, Duration.ZERO, null, null, 1);
    }

    /** Client connections for this mode: its own, else the run's. */
    public int concurrency(RunOptions run) {
        return concurrency != null ? concurrency : run.concurrency();
    }

    /** How long this mode's load runs: its own, else the run's. */
    public Duration duration(RunOptions run) {
        return duration != null ? duration : run.duration();
    }

    /** Porter's upstream group in the configuration file's words, and a held backend, for reports. */
    public String describe() {
        String porter;
        if (direct) {
            porter = "no proxy";
        } else {
            porter = pool == null ? "no pool keys (shipped defaults)" : pool.describe();
            if (!sourceAddresses.isEmpty()) {
                porter += ", source-addresses = [" + String.join(", ", sourceAddresses) + "]";
            }
        }
        return backendDelay.isZero() ? porter
                : porter + "; Tomcat holds each request " + backendDelay.toMillis() / 1000.0 + " s";
    }
}

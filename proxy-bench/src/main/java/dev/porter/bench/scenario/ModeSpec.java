package dev.porter.bench.scenario;

import dev.porter.bench.load.ClientConnection;

import java.time.Duration;

/**
 * One mode of an incident scenario: the backend's keepalive settings, Porter's upstream
 * settings (or none: load straight to the backend), and how the client treats its connection.
 *
 * @param keepalive         Porter's {@code keepalive}; ignored when {@code direct}
 * @param keepaliveRequests Porter's {@code keepalive-requests}
 */
public record ModeSpec(
        String name,
        boolean direct,
        int keepalive,
        int keepaliveRequests,
        String httpVersion,
        String closeInitiator,
        ClientConnection client,
        Duration backendKeepAliveTimeout,
        int backendMaxKeepAliveRequests) {
}

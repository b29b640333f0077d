package dev.porter.exchange;

import dev.porter.config.ListenerConfig;

import java.util.function.BooleanSupplier;

/**
 * What every exchange on one listener's connections of one worker shares: the listener's
 * settings, the worker's rate-limited failure log, and whether the worker is shutting down.
 * Built once per worker and listener.
 *
 * @param tls the connection came in over TLS (for X-Forwarded-Proto)
 */
public record ExchangeScope(ListenerConfig listener, boolean tls, FailureLog failures, BooleanSupplier shuttingDown) {
}

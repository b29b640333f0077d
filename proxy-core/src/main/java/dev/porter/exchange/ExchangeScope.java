package dev.porter.exchange;

import dev.porter.config.ListenerConfig;

import java.util.function.BooleanSupplier;

/**
 * What every exchange of one client connection shares: its listener's settings, its worker's
 * rate-limited failure log, and whether the worker is shutting down. Built once per connection.
 *
 * @param tls the connection came in over TLS (for X-Forwarded-Proto)
 */
public record ExchangeScope(ListenerConfig listener, boolean tls, FailureLog failures, BooleanSupplier shuttingDown) {
}

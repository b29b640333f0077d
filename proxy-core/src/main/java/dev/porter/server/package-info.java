/**
 * The client side: a listener's pipeline, its gates (PROXY protocol, TLS handshake), the client
 * connection handler that parses requests from the bytes and starts their exchanges on the
 * connection's life on its worker, timeouts, connection and rate limits, routing, and the
 * {@link dev.porter.server.Worker} that owns one event loop's connections and pools.
 */
package dev.porter.server;

/**
 * The client side: a listener's pipeline, the client connection handler that parses requests
 * from the bytes and starts their exchanges, timeouts, connection and rate limits, PROXY protocol,
 * routing, and the {@link dev.porter.server.Worker} that owns one event loop's connections and
 * pools.
 */
package dev.porter.server;

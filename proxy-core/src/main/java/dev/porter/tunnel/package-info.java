/**
 * The byte tunnel a WebSocket handshake answered 101 turns a client connection and its upstream
 * connection into: a {@link dev.porter.tunnel.Tunnel} shared by one handler on each channel,
 * moving bytes both ways with backpressure, half-close and an idle timeout. It knows nothing of
 * HTTP or pools; the exchange that saw the 101 builds it and hears how it ended.
 */
package dev.porter.tunnel;

package dev.porter.metrics;

/**
 * One worker's client side at one moment: open connections, those with a request in
 * flight (active), those waiting for the next request (idle) and those that became WebSocket
 * tunnels (open now, and since the start), and responses by class.
 */
public record ClientSnapshot(int worker, int open, int active, int idle, long accepted, long requests,
                             long responses1xx, long responses2xx, long responses3xx,
                             long responses4xx, long responses5xx, int tunnels, long tunnelsOpened) {
}

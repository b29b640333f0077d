package dev.porter.bench.tcp;

/**
 * Sockets in TIME_WAIT at one instant, by where they sit.
 *
 * @param proxySide    the proxy's end of the upstream leg (remote = the backend): each pins
 *                     one ephemeral port toward the backend
 * @param upstreamSide the backend's end (local = the backend's listen address)
 * @param clientLeg    the client leg (local or remote port = the proxy's listen port)
 */
public record TimeWaitCounts(int proxySide, int upstreamSide, int clientLeg) {
}

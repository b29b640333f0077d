package dev.porter.close;

/**
 * What is known about an upstream connection when its exchange ends, for
 * {@link UpstreamReusePolicy#decide(ReuseFacts)}.
 *
 * @param failed            an error, timeout or malformed message happened on it
 * @param responseComplete  the whole response (up to its last byte) was read
 * @param requestComplete   the whole request (up to its last body byte) was written
 * @param upstreamKeepAlive the response allows reuse (HTTP/1.1 without Connection: close)
 * @param pooling           the group pools connections at all
 * @param shuttingDown      Porter is shutting down
 * @param lifetimeOver      why the connection's lifetime is over ({@link ConnectionLifetime}), or null
 */
public record ReuseFacts(boolean failed, boolean responseComplete, boolean requestComplete,
                         boolean upstreamKeepAlive, boolean pooling, boolean shuttingDown, CloseReason lifetimeOver) {
}

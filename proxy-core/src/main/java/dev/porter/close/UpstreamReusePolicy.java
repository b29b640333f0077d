package dev.porter.close;

import java.util.Optional;

/**
 * Decides, in one place, whether an upstream connection may go back to its pool when an
 * exchange ends. The guards follow nginx's {@code ngx_http_upstream_keepalive_free_peer}:
 * a failed connection, an incomplete response, a request body not fully sent (Zuul learnt
 * that one late: its #2129), an upstream that does not keep alive, the request and age
 * limits, and shutdown.
 */
public final class UpstreamReusePolicy {
    private UpstreamReusePolicy() {
    }

    /** Empty when the connection may be reused; otherwise why it must end. */
    public static Optional<CloseReason> decide(ReuseFacts f) {
        if (f.failed() || !f.responseComplete()) {
            return Optional.of(CloseReason.ERROR);
        }
        if (!f.requestComplete()) {
            return Optional.of(CloseReason.BODY_NOT_SENT);
        }
        if (!f.upstreamKeepAlive()) {
            return Optional.of(CloseReason.UPSTREAM_CLOSE);
        }
        if (!f.pooling()) {
            return Optional.of(CloseReason.NOT_POOLED);
        }
        if (f.shuttingDown()) {
            return Optional.of(CloseReason.SHUTDOWN);
        }
        return Optional.ofNullable(f.lifetimeOver());
    }
}

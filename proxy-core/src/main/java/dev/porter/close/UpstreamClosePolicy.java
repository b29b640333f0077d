package dev.porter.close;

import dev.porter.config.CloseInitiator;

/**
 * How an upstream connection that must end is ended, which decides where its TIME_WAIT lands:
 * a pure function of why it ends and of the group's {@code close-initiator} (as the port
 * budget guard may have overridden it). {@code UpstreamHandler} carries the plan out.
 */
public final class UpstreamClosePolicy {
    /** Longest wait for the upstream's FIN after it announced that it will close. */
    public static final long UPSTREAM_FIN_WAIT_NANOS = 2_000_000_000L;

    /** What to do with the connection. */
    public enum Plan {
        /** Porter sends the first FIN now. */
        CLOSE,
        /** SO_LINGER 0: an RST now. */
        RESET,
        /**
         * The upstream announced its close (Connection: close, an HTTP/1.0 answer): let its FIN
         * come first, and close after {@link #UPSTREAM_FIN_WAIT_NANOS} if it does not.
         */
        AWAIT_UPSTREAM_FIN,
        /**
         * Never send the first FIN on a healthy connection: it leaves the pool and the upstream's
         * own idle timeout closes it; Porter closes after another keepalive-timeout if it does not.
         */
        LEAVE_TO_UPSTREAM
    }

    private UpstreamClosePolicy() {
    }

    public static Plan plan(CloseReason reason, CloseInitiator initiator) {
        if (reason == CloseReason.UPSTREAM_CLOSE) {
            return Plan.AWAIT_UPSTREAM_FIN;
        }
        if (initiator == CloseInitiator.PEER && healthy(reason)) {
            return Plan.LEAVE_TO_UPSTREAM;
        }
        return initiator == CloseInitiator.RESET ? Plan.RESET : Plan.CLOSE;
    }

    /** A connection that ends for its age or the pool's size, not because anything went wrong. */
    private static boolean healthy(CloseReason reason) {
        return reason == CloseReason.IDLE_TIMEOUT || reason == CloseReason.POOL_FULL
                || reason == CloseReason.KEEPALIVE_TIME || reason == CloseReason.KEEPALIVE_REQUESTS;
    }
}

package dev.porter.close;

/**
 * Who ended an upstream connection, as counted in /status ({@code closedBy}): the side that
 * sent the first FIN holds the TIME_WAIT, or nobody after an RST. An observation, where
 * {@link dev.porter.config.CloseInitiator} is the operator's wish: with
 * {@code close-initiator = upstream} Porter still closes first when the upstream never does.
 */
public enum ClosedBy {
    /** Porter sent the first FIN: TIME_WAIT on Porter, one local port pinned for 60 s. */
    PROXY("proxy"),
    /** The upstream sent the first FIN: TIME_WAIT on the upstream. */
    UPSTREAM("upstream"),
    /** Porter reset the connection (SO_LINGER 0): no TIME_WAIT anywhere. */
    RESET("reset");

    private final String label;

    ClosedBy(String label) {
        this.label = label;
    }

    /** The name used in /status and metrics. */
    public String label() {
        return label;
    }
}

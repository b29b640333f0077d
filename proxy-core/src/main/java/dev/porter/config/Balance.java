package dev.porter.config;

/** How an upstream group picks a server for a request. */
public enum Balance {
    /** Smooth weighted round-robin, nginx's algorithm. */
    ROUND_ROBIN,
    /** The server with the fewest active requests on this worker, relative to its weight. */
    LEAST_CONN;

    static Balance parse(String v) {
        switch (v) {
            case "round-robin":
                return ROUND_ROBIN;
            case "least-conn":
                return LEAST_CONN;
            default:
                return null;
        }
    }
}

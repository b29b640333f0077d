package dev.porter.bench.proxy;

import java.util.Objects;

/**
 * The upstream group's pool keys a scenario chooses for Porter, written by
 * {@link PorterConfigWriter}. A {@link PorterSettings} without them writes none, so that
 * reference.conf's shipped defaults apply.
 *
 * @param keepalive         idle upstream connections per worker ({@code 0} = no pooling)
 * @param keepaliveRequests requests per upstream connection before Porter retires it
 * @param httpVersion       "1.1" or "1.0"
 * @param closeInitiator    proxy, upstream or reset
 * @param portBudgetGuard   {@code port-budget-guard} as HOCON ({@code off}, {@code 50%}), or null to
 *                          leave the shipped default
 */
public record PoolKeys(int keepalive, int keepaliveRequests, String httpVersion, String closeInitiator,
                       String portBudgetGuard) {
    public PoolKeys {
        Objects.requireNonNull(httpVersion, "httpVersion");
        Objects.requireNonNull(closeInitiator, "closeInitiator");
    }

    /** The same keys with the port budget guard set to {@code guard} (null = the shipped default). */
    public PoolKeys withPortBudgetGuard(String guard) {
        return new PoolKeys(keepalive, keepaliveRequests, httpVersion, closeInitiator, guard);
    }

    /** One line for reports, in the configuration file's words. */
    public String describe() {
        StringBuilder b = new StringBuilder("keepalive = ").append(keepalive);
        b.append(", keepalive-requests = ").append(keepaliveRequests);
        if (!httpVersion.equals("1.1")) {
            b.append(", http-version = ").append(httpVersion);
        }
        if (!closeInitiator.equals("proxy")) {
            b.append(", close-initiator = ").append(closeInitiator);
        }
        if (portBudgetGuard != null) {
            b.append(", port-budget-guard = ").append(portBudgetGuard);
        }
        return b.toString();
    }
}

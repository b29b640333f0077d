package dev.porter.tcp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The kernel's view of the sockets between the proxy and one upstream server.
 *
 * <ul>
 *   <li>{@code proxySide}: sockets whose remote address is the server, i.e. the proxy's ends
 *       of its upstream connections; TIME_WAIT here is what exhausts the proxy's local ports
 *       when the proxy closes first.</li>
 *   <li>{@code upstreamSide}: sockets whose local address is the server, i.e. the server's own
 *       ends (and its listening socket, if bound to exactly that address), visible only when it
 *       runs in the same network namespace (the benchmark's embedded Tomcat); TIME_WAIT here is where it lands when the upstream closes first.</li>
 *   <li>{@code portsHeld}: distinct local address and port pairs of the proxy-side sockets in
 *       any state but LISTEN; against {@code portBudget}, the local port range's size (per
 *       source address), it says how close connects to this server are to
 *       {@code EADDRNOTAVAIL}.</li>
 * </ul>
 *
 * <p>Immutable; usable from any thread.
 */
public record UpstreamLeg(
        InetSocketAddress server,
        StateCounts proxySide,
        StateCounts upstreamSide,
        int portsHeld,
        int portBudget) {

    public UpstreamLeg {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(proxySide, "proxySide");
        Objects.requireNonNull(upstreamSide, "upstreamSide");
        if (portsHeld < 0 || portBudget < 1) {
            throw new IllegalArgumentException("portsHeld " + portsHeld + ", portBudget " + portBudget);
        }
    }

    /**
     * {@code portsHeld} as a percentage of {@code portBudget}. It can pass 100 when the proxy
     * has several source addresses, or ports bound outside the range, toward this server.
     */
    public double portBudgetUsedPercent() {
        return 100.0 * portsHeld / portBudget;
    }
}

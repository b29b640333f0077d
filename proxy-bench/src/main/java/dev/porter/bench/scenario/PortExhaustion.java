package dev.porter.bench.scenario;

import dev.porter.bench.load.ClientConnection;

import java.time.Duration;
import java.util.List;

/**
 * The port-exhaustion incident, run inside a network namespace with a narrowed
 * {@code ip_local_port_range} and {@code tcp_tw_reuse = 0}. Tomcat keeps connections as long
 * as the proxy wants (no request limit, 60 s idle), so only the proxy's pool decides how many
 * connections are opened and closed:
 * <ul>
 *   <li>{@code pool-off}: keepalive 0, a connection per request closed by Porter;</li>
 *   <li>{@code pool-too-small}: keepalive an eighth of what the concurrency needs per worker;</li>
 *   <li>{@code pool-sized}: keepalive = ceil(concurrency / workers).</li>
 * </ul>
 */
public final class PortExhaustion {
    public static final String NAME = "port-exhaustion";
    /** Fixed ports inside the bench's own namespace, below the narrowed ephemeral range. */
    public static final int BACKEND_PORT = 18080;
    public static final int LISTEN_PORT = 18000;
    public static final int ADMIN_PORT = 18001;
    private static final Duration TOMCAT_KEEPALIVE = Duration.ofSeconds(60);

    private PortExhaustion() {
    }

    public static List<ModeSpec> modes(RunOptions o) {
        int sized = o.sizedPool();
        return List.of(
                mode("pool-off", false, 0, ClientConnection.KEEPALIVE),
                mode("pool-too-small", false, Math.max(1, sized / 8), ClientConnection.KEEPALIVE),
                mode("pool-sized", false, sized, ClientConnection.KEEPALIVE),
                // not run by default: no proxy, the client itself closes each connection (checks the namespace set-up)
                mode("direct-client-closes", true, 0, ClientConnection.CLIENT_CLOSES));
    }

    public static final List<String> DEFAULT_MODES = List.of("pool-off", "pool-too-small", "pool-sized");

    private static ModeSpec mode(String name, boolean direct, int keepalive, ClientConnection client) {
        return new ModeSpec(name, direct, keepalive, 1000, "1.1", "proxy", client, TOMCAT_KEEPALIVE, -1);
    }
}

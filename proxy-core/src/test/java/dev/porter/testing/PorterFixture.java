package dev.porter.testing;

import dev.porter.Porter;
import dev.porter.config.ConfigLoader;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.StatusSnapshot;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A real Porter for integration tests: listens on 127.0.0.1 with an OS-chosen port, in
 * front of one upstream group "app". Extra HOCON for the group and the listener is spliced
 * into a minimal configuration.
 */
public final class PorterFixture implements AutoCloseable {
    private final Porter porter;

    private PorterFixture(Porter porter) {
        this.porter = porter;
    }

    /**
     * @param workers       event loops
     * @param servers       upstream addresses, host:port
     * @param upstreamExtra HOCON lines inside upstreams.app (may be empty)
     * @param listenerExtra HOCON fields inside the listener object (may be empty)
     */
    public static PorterFixture start(int workers, String[] servers, String upstreamExtra, String listenerExtra) {
        return start(workers, servers, upstreamExtra, listenerExtra, "");
    }

    /** As above, with {@code porterExtra} HOCON lines inside {@code porter { }} (e.g. server-defaults). */
    public static PorterFixture start(int workers, String[] servers, String upstreamExtra, String listenerExtra,
                                      String porterExtra) {
        return start(config(workers, servers, upstreamExtra, listenerExtra, porterExtra));
    }

    /** A Porter running a whole configuration (several groups or routes); the admin listener must be off. */
    public static PorterFixture start(String configText) {
        return new PorterFixture(Porter.start(ConfigLoader.parse(configText, "test.conf")));
    }

    /**
     * The configuration {@link #start(int, String[], String, String, String)} runs: one listener
     * on 127.0.0.1 port 0, one group "app" routed from "/", admin off.
     */
    public static String config(int workers, String[] servers, String upstreamExtra, String listenerExtra,
                                String porterExtra) {
        StringBuilder s = new StringBuilder();
        for (String server : servers) {
            s.append(s.length() > 0 ? ", " : "").append("{ address = \"").append(server).append("\" }");
        }
        return "porter {\n"
                + "  workers = " + workers + "\n"
                + "  listeners = [ { address = \"127.0.0.1:0\"" + (listenerExtra.isEmpty() ? "" : ", " + listenerExtra) + " } ]\n"
                + "  upstreams { app {\n"
                + "    servers = [ " + s + " ]\n"
                + "    " + upstreamExtra + "\n"
                + "  } }\n"
                + "  routes = [ { path-prefix = \"/\", upstream = app } ]\n"
                + "  admin.enabled = false\n"
                + "  " + porterExtra + "\n"
                + "}\n";
    }

    public static PorterFixture start(int workers, String server, String upstreamExtra) {
        return start(workers, new String[] {server}, upstreamExtra, "");
    }

    public Porter porter() {
        return porter;
    }

    public InetSocketAddress address() {
        return porter.listenAddresses().get(0);
    }

    public RawHttp connect() throws IOException {
        return new RawHttp(address());
    }

    public StatusSnapshot status() {
        try {
            return porter.status().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Upstream connections opened so far, over all workers and servers. */
    public long upstreamConnectionsOpened() {
        return status().pools().stream().mapToLong(PoolSnapshot::opened).sum();
    }

    @Override
    public void close() {
        porter.close();
    }
}

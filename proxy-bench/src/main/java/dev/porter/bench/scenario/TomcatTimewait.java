package dev.porter.bench.scenario;

import dev.porter.bench.load.ClientConnection;

import java.time.Duration;
import java.util.List;

/**
 * The Tomcat TIME_WAIT incident: Porter in front of a Tomcat with its shipped keepalive
 * defaults (keepAliveTimeout 20 s, maxKeepAliveRequests 100), the same load three ways.
 * <ul>
 *   <li>{@code http10-upstream}: one upstream connection per request, Tomcat closes each one
 *       (it answers HTTP/1.0 without keep-alive), so TIME_WAIT piles up on Tomcat's side;</li>
 *   <li>{@code pooled-proxy-closes}: pooled, Porter retires a connection after 90 requests,
 *       before Tomcat's 100, so the rare close is Porter's and TIME_WAIT stays on the proxy;</li>
 *   <li>{@code pooled-upstream-closes}: pooled, Porter lets Tomcat close (it does at its 100th
 *       request): TIME_WAIT lands on Tomcat, at a hundredth of the HTTP/1.0 rate.</li>
 * </ul>
 */
public final class TomcatTimewait {
    public static final String NAME = "tomcat-timewait";
    private static final Duration TOMCAT_KEEPALIVE = Duration.ofSeconds(20);
    private static final int TOMCAT_MAX_REQUESTS = 100;

    private TomcatTimewait() {
    }

    public static List<ModeSpec> modes(RunOptions o) {
        int pool = o.sizedPool();
        return List.of(
                new ModeSpec("http10-upstream", false, pool, 1000, "1.0", "proxy",
                        ClientConnection.KEEPALIVE, TOMCAT_KEEPALIVE, TOMCAT_MAX_REQUESTS),
                new ModeSpec("pooled-proxy-closes", false, pool, 90, "1.1", "proxy",
                        ClientConnection.KEEPALIVE, TOMCAT_KEEPALIVE, TOMCAT_MAX_REQUESTS),
                new ModeSpec("pooled-upstream-closes", false, pool, 1000, "1.1", "upstream",
                        ClientConnection.KEEPALIVE, TOMCAT_KEEPALIVE, TOMCAT_MAX_REQUESTS),
                // not run by default: a proxy-less baseline (the client asks Tomcat to close)
                new ModeSpec("direct-close-header", true, 0, 0, "1.1", "proxy",
                        ClientConnection.CLOSE_HEADER, TOMCAT_KEEPALIVE, TOMCAT_MAX_REQUESTS));
    }

    /** The modes run when none are named. */
    public static final List<String> DEFAULT_MODES = List.of("http10-upstream", "pooled-proxy-closes",
            "pooled-upstream-closes");
}

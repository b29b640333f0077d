package dev.porter.close;

import dev.porter.config.CloseInitiator;
import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.config.UpstreamConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The close-initiator settings an operator should hear about once, at start: RST closes
 * (unsafe), and {@code upstream} with a keepalive-timeout that would expire before the
 * upstream's own idle timeout (then Porter, not the upstream, ends idle connections' life in
 * the pool, and waits for the upstream to close them).
 */
public final class CloseInitiatorWarnings {
    private static final Logger logger = LoggerFactory.getLogger(CloseInitiatorWarnings.class);
    /** Tomcat's shipped keepAliveTimeout (it defaults to connectionTimeout, 20 s in server.xml). */
    static final Duration TOMCAT_DEFAULT_KEEPALIVE = Duration.ofSeconds(20);

    private CloseInitiatorWarnings() {
    }

    /** The warnings for a configuration, one line each. */
    public static List<String> of(ProxyConfig config) {
        List<String> out = new ArrayList<>();
        for (UpstreamConfig u : config.upstreams().values()) {
            if (u.closeInitiator() == CloseInitiator.RESET) {
                out.add("upstream " + u.name() + ": close-initiator = reset closes with RST (SO_LINGER 0): no TIME_WAIT"
                        + " anywhere, but a delayed segment of an old connection can corrupt a new one on the same ports;"
                        + " use it only where that risk is understood");
            }
            if (u.closeInitiator() == CloseInitiator.PEER && u.keepaliveTimeout().compareTo(TOMCAT_DEFAULT_KEEPALIVE) <= 0) {
                out.add("upstream " + u.name() + ": close-initiator = upstream with keepalive-timeout "
                        + u.keepaliveTimeout().toSeconds() + "s: Porter's idle timeout expires before a Tomcat's"
                        + " (keepAliveTimeout, 20s by default), so idle connections leave the pool early and wait for"
                        + " the upstream to close them; set keepalive-timeout above the upstream's idle timeout"
                        + " (a Keep-Alive: timeout=N response header still caps each connection below N)");
            }
        }
        for (ListenerConfig l : config.listeners()) {
            if (l.closeInitiator() == CloseInitiator.RESET) {
                out.add("listener " + l.address().getHostString() + ":" + l.address().getPort() + ": close-initiator = reset closes client connections with RST:"
                        + " unsafe, and clients may see 'connection reset' after a complete response");
            }
        }
        return out;
    }

    public static void log(ProxyConfig config) {
        for (String w : of(config)) {
            logger.warn(w);
        }
    }
}

package dev.porter.close;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up warnings about close-initiator settings: when each is said, and only then. */
class CloseInitiatorWarningsTest {
    private static List<String> warnings(String upstream, String listener) {
        ProxyConfig c = ConfigLoader.parse("porter {\n"
                + "  listeners = [ { address = \"127.0.0.1:0\"" + listener + " } ]\n"
                + "  upstreams { app { servers = [ { address = \"127.0.0.1:8080\" } ]\n" + upstream + "\n } }\n"
                + "  routes = [ { upstream = app } ]\n"
                + "}\n", "porter.conf");
        return CloseInitiatorWarnings.of(c);
    }

    @Test
    void theDefaultsNeedNoWarning() {
        assertThat(warnings("", "")).isEmpty();
    }

    @Test
    void resetOnTheUpstreamLegIsCalledUnsafeOnce() {
        assertThat(warnings("close-initiator = reset", "")).singleElement().asString()
                .startsWith("upstream app: close-initiator = reset").contains("RST");
    }

    @Test
    void resetOnTheClientLegNamesTheListener() {
        assertThat(warnings("", ", close-initiator = reset")).singleElement().asString()
                .startsWith("listener 127.0.0.1:0: close-initiator = reset");
    }

    @Test
    void upstreamClosingWithAKeepaliveTimeoutUpToTomcatsIdleTimeoutIsWarnedAbout() {
        assertThat(warnings("close-initiator = upstream\n keepalive-timeout = 20s", "")).singleElement().asString()
                .startsWith("upstream app: close-initiator = upstream with keepalive-timeout 20s");
        assertThat(warnings("close-initiator = upstream\n keepalive-timeout = 5s", "")).hasSize(1);
    }

    @Test
    void upstreamClosingWithAKeepaliveTimeoutAboveTomcatsIsFine() {
        assertThat(warnings("close-initiator = upstream\n keepalive-timeout = 21s", "")).isEmpty();
    }

    @Test
    void aShortKeepaliveTimeoutAloneIsNoReasonToWarn() {
        assertThat(warnings("keepalive-timeout = 5s", "")).isEmpty();
    }
}

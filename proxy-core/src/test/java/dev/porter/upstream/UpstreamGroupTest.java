package dev.porter.upstream;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import dev.porter.config.UpstreamConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamGroupTest {
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully();
    }

    private UpstreamGroup group(String servers, String extra) {
        ProxyConfig c = ConfigLoader.parse("porter { listeners = [ { address = \"127.0.0.1:0\" } ]\n"
                + "upstreams { app { servers = [ " + servers + " ]\n" + extra + " } }\n"
                + "routes = [ { upstream = app } ] }", "test.conf");
        UpstreamConfig u = c.upstreams().get("app");
        List<KeepalivePool> pools = new ArrayList<>();
        for (var s : u.servers()) {
            pools.add(new KeepalivePool(loop, 0, u, s, new Bootstrap()));
        }
        return new UpstreamGroup(u, pools);
    }

    private static String names(UpstreamGroup g, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(g.pick(Set.of()).server().name().charAt(10));
        }
        return sb.toString();
    }

    @Test
    void smoothWeightedRoundRobinInterleavesByWeight() {
        UpstreamGroup g = group("{ address = \"127.0.0.1:1\", weight = 5 }, { address = \"127.0.0.1:2\" }, { address = \"127.0.0.1:3\" }", "");
        // nginx's smooth weighted round-robin for weights 5, 1, 1.
        assertThat(names(g, 7)).isEqualTo("1121311");
    }

    @Test
    void triedServersAreSkippedAndNullWhenNoneIsLeft() {
        UpstreamGroup g = group("{ address = \"127.0.0.1:1\" }, { address = \"127.0.0.1:2\" }", "");
        Set<KeepalivePool> tried = new HashSet<>();
        tried.add(g.pick(tried));
        KeepalivePool second = g.pick(tried);
        assertThat(tried).doesNotContain(second);
        tried.add(second);
        assertThat(g.pick(tried)).isNull();
    }

    @Test
    void aServerPastMaxFailsIsTakenOutForFailTimeout() {
        UpstreamGroup g = group("{ address = \"127.0.0.1:1\", max-fails = 2, fail-timeout = 60s }, { address = \"127.0.0.1:2\" }", "");
        KeepalivePool first = g.pools().get(0);
        g.failed(first);
        assertThat(names(g, 4)).contains("1");
        g.failed(first);
        assertThat(names(g, 6)).isEqualTo("222222");
    }

    @Test
    void leastConnPicksTheServerWithFewestRequestsInFlightAndRotatesTies() {
        UpstreamGroup g = group("{ address = \"127.0.0.1:1\" }, { address = \"127.0.0.1:2\" }", "balance = least-conn");
        // Nothing in flight anywhere: ties rotate, so load spreads.
        assertThat(names(g, 4)).isEqualTo("1212");
    }

    @Test
    void leastConnWeighsRequestsInFlightByEachServersWeight() throws Exception {
        try (LocalUpstream local = new LocalUpstream()) {
            UpstreamGroup g = local.group("{ address = \"127.0.0.1:1\", weight = 3 }, { address = \"127.0.0.1:2\" }",
                    "balance = least-conn");
            KeepalivePool heavy = g.pools().get(0);
            KeepalivePool light = g.pools().get(1);
            // heavy: 2 in flight for weight 3 (0.67 each); light: 1 for weight 1.
            local.acquire(heavy, true);
            local.acquire(heavy, true);
            local.acquire(light, true);

            assertThat(local.onLoop(() -> g.pick(Set.of()))).isSameAs(heavy);
            local.acquire(heavy, true);
            // heavy now 3 for 3, light 1 for 1: a tie, so the rotation decides; both are picked in turn.
            assertThat(local.onLoop(() -> List.of(g.pick(Set.of()), g.pick(Set.of())))).containsExactlyInAnyOrder(heavy, light);
            local.acquire(heavy, true);
            assertThat(local.onLoop(() -> g.pick(Set.of()))).as("4 for 3 against 1 for 1").isSameAs(light);
        }
    }
}

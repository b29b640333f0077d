package dev.porter.upstream;

import dev.porter.config.Balance;
import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.config.RouteConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
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

    /** Server {@code n} of a test: 127.0.0.1:n, named so. */
    private static ServerConfig.Builder server(int n) {
        return ServerConfig.builder(new InetSocketAddress("127.0.0.1", n));
    }

    private static UpstreamConfig.Builder app(ServerConfig.Builder... servers) {
        UpstreamConfig.Builder u = UpstreamConfig.builder("app");
        for (ServerConfig.Builder s : servers) {
            u.server(s.build());
        }
        return u;
    }

    private UpstreamGroup group(UpstreamConfig.Builder app) {
        UpstreamConfig u = app.build();
        ProxyConfig c = ProxyConfig.builder()
                .listener(ListenerConfig.builder(new InetSocketAddress("127.0.0.1", 0)).build())
                .upstream(u)
                .route(RouteConfig.builder("app").build())
                .build();
        List<KeepalivePool> pools = new ArrayList<>();
        for (UpstreamServer s : UpstreamServers.create(c, 28232).of("app")) {
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
        UpstreamGroup g = group(app(server(1).weight(5), server(2), server(3)));
        // nginx's smooth weighted round-robin for weights 5, 1, 1.
        assertThat(names(g, 7)).isEqualTo("1121311");
    }

    @Test
    void triedServersAreSkippedAndNullWhenNoneIsLeft() {
        UpstreamGroup g = group(app(server(1), server(2)));
        Set<KeepalivePool> tried = new HashSet<>();
        tried.add(g.pick(tried));
        KeepalivePool second = g.pick(tried);
        assertThat(tried).doesNotContain(second);
        tried.add(second);
        assertThat(g.pick(tried)).isNull();
    }

    @Test
    void aServerPastMaxFailsIsTakenOutForFailTimeout() {
        UpstreamGroup g = group(app(server(1).maxFails(2).failTimeout(Duration.ofSeconds(60)), server(2)));
        KeepalivePool first = g.pools().get(0);
        g.failed(first, "test");
        assertThat(names(g, 4)).contains("1");
        g.failed(first, "test");
        assertThat(names(g, 6)).isEqualTo("222222");
    }

    @Test
    void leastConnPicksTheServerWithFewestRequestsInFlightAndRotatesTies() {
        UpstreamGroup g = group(app(server(1), server(2)).balance(Balance.LEAST_CONN));
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

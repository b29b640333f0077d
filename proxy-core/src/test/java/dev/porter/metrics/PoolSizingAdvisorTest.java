package dev.porter.metrics;

import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PoolSizingAdvisorTest {
    private static final ProxyConfig CONFIG = ProxyConfig.builder()
            .listener(ListenerConfig.builder(new InetSocketAddress("127.0.0.1", 0)).build())
            .upstream(UpstreamConfig.builder("app").server(new InetSocketAddress("127.0.0.1", 8080)).keepalive(8).build())
            .route(RouteConfig.builder("app").build())
            .build();

    private static StatusSnapshot snapshot(long requests, long opened, int peak) {
        PoolSnapshot p = new PoolSnapshot(0, "app", "127.0.0.1:8080", 0, 0, peak, 0, opened, requests, requests - opened,
                Map.of(), Map.of(), 0, Map.of(), 0, 0);
        return new StatusSnapshot(Instant.now(), 1, List.of(), List.of(p), List.of());
    }

    @Test
    void churnUnderSteadyLoadWithAPeakAboveKeepaliveRecommendsALargerPool() {
        PoolSizingAdvisor advisor = new PoolSizingAdvisor();
        advisor.observe(snapshot(0, 0, 0), CONFIG);
        List<SizingAdvice> advice = advisor.observe(snapshot(10_000, 400, 40), CONFIG);
        SizingAdvice a = advice.get(0);
        assertThat(a.churnPer1000()).isEqualTo(40.0);
        assertThat(a.peakActivePerWorker()).isEqualTo(40);
        assertThat(a.keepalive()).isEqualTo(8);
        assertThat(a.recommendedKeepalive()).isEqualTo(50);
    }

    @Test
    void aPoolThatHoldsThePeakNeedsNothing() {
        PoolSizingAdvisor advisor = new PoolSizingAdvisor();
        advisor.observe(snapshot(0, 0, 0), CONFIG);
        SizingAdvice a = advisor.observe(snapshot(10_000, 10, 6), CONFIG).get(0);
        assertThat(a.recommendedKeepalive()).isZero();
        assertThat(a.churnPer1000()).isEqualTo(1.0);
    }
}

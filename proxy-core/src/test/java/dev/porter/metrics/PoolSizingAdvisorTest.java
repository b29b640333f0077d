package dev.porter.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

    private final Logger logger = (Logger) LoggerFactory.getLogger(PoolSizingAdvisor.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    /** The pool's counters since start: requests, connections opened, surplus, and the peak in flight. */
    private static StatusSnapshot snapshot(long requests, long opened, long surplus, int peak) {
        PoolSnapshot p = new PoolSnapshot(0, "app", "127.0.0.1:8080", 0, 0, 0, peak, 0, opened, requests, requests - opened,
                surplus, Map.of(), Map.of(), 0, Map.of(), 0, 0);
        return new StatusSnapshot(Instant.now(), 1, List.of(), List.of(p), List.of());
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void connectionsLetGoForThePoolsSizeWithAPeakAboveKeepaliveRecommendALargerPool() {
        PoolSizingAdvisor advisor = new PoolSizingAdvisor();
        advisor.observe(snapshot(0, 0, 0, 0), CONFIG);
        List<SizingAdvice> advice = advisor.observe(snapshot(10_000, 400, 390, 40), CONFIG);
        SizingAdvice a = advice.get(0);
        assertThat(a.churnPer1000()).isEqualTo(40.0);
        assertThat(a.surplus()).isEqualTo(390);
        assertThat(a.peakActivePerWorker()).isEqualTo(40);
        assertThat(a.keepalive()).isEqualTo(8);
        assertThat(a.recommendedKeepalive()).isEqualTo(50);
    }

    @Test
    void threeWindowsInARowOfSurplusLogOneWarning() {
        PoolSizingAdvisor advisor = new PoolSizingAdvisor();
        advisor.observe(snapshot(0, 0, 0, 0), CONFIG);
        for (int w = 1; w <= PoolSizingAdvisor.WINDOWS + 2; w++) {
            advisor.observe(snapshot(10_000L * w, 400L * w, 390L * w, 40), CONFIG);
        }
        assertThat(warnings()).singleElement().asString()
                .contains("390 connections let go in the last window")
                .contains("up to 40 requests in flight but keepalive is 8")
                .contains("set keepalive = 50");
    }

    @Test
    void plannedRetirementsAreChurnButNoReasonForALargerPool() {
        // keepalive-requests rotates connections (1 opened per 1,000 requests), and a peak above
        // keepalive came from requests still in flight for clients that left while new ones came:
        // no connection was let go for the pool's size, and a larger keepalive would save none.
        PoolSizingAdvisor advisor = new PoolSizingAdvisor();
        advisor.observe(snapshot(0, 0, 0, 0), CONFIG);
        SizingAdvice a = null;
        for (int w = 1; w <= PoolSizingAdvisor.WINDOWS + 2; w++) {
            a = advisor.observe(snapshot(10_000L * w, 10L * w, 0, 10), CONFIG).get(0);
        }
        assertThat(a.churnPer1000()).isEqualTo(1.0);
        assertThat(a.peakActivePerWorker()).isEqualTo(10);
        assertThat(a.recommendedKeepalive()).isZero();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aPoolThatHoldsThePeakNeedsNothing() {
        PoolSizingAdvisor advisor = new PoolSizingAdvisor();
        advisor.observe(snapshot(0, 0, 0, 0), CONFIG);
        SizingAdvice a = advisor.observe(snapshot(10_000, 10, 0, 6), CONFIG).get(0);
        assertThat(a.recommendedKeepalive()).isZero();
        assertThat(a.churnPer1000()).isEqualTo(1.0);
    }
}

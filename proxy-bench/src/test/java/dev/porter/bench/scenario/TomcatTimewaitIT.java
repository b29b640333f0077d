package dev.porter.bench.scenario;

import dev.porter.bench.report.ModeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the tomcat-timewait scenario for a few seconds per mode, with Porter in this JVM on
 * port 0 and Tomcat on port 0, and checks where TIME_WAIT lands (never how fast anything is).
 */
class TomcatTimewaitIT {
    private static final RunOptions LOAD = new RunOptions(Duration.ofSeconds(3), 8, 2, 0);

    private Cleanup cleanup;

    @BeforeEach
    void setUp() {
        cleanup = new Cleanup();
    }

    @AfterEach
    void tearDown() {
        cleanup.close();
    }

    @Test
    void http10UpstreamLeavesTimeWaitOnTomcatAndPoolingDoesNot() throws Exception {
        Assumptions.assumeTrue(porterRuns(), "proxy-core's Porter.start is not implemented yet");
        ModeRunner runner = new ModeRunner(LOAD, Launchers.inProcess(cleanup), cleanup, "127.0.0.1", 0);

        Map<String, ModeResult> results = TomcatTimewait.modes(LOAD).stream()
                .filter(m -> TomcatTimewait.DEFAULT_MODES.contains(m.name()))
                .map(m -> run(runner, m))
                .collect(Collectors.toMap(ModeResult::name, r -> r));

        ModeResult http10 = results.get("http10-upstream");
        ModeResult pooled = results.get("pooled-proxy-closes");
        assertThat(http10.note()).isNull();
        assertThat(http10.status2xx()).isPositive();
        assertThat(pooled.status2xx()).isPositive();
        // One TIME_WAIT per request on Tomcat's side (sampled every 500 ms, so some of the last
        // ones may be missed; a loaded machine serves fewer requests in the run).
        assertThat(http10.timewaitUpstreamSideMax()).isGreaterThan((int) Math.min(50, http10.status2xx() / 4));
        // pooled, Porter retires connections itself before Tomcat's maxKeepAliveRequests: nothing on Tomcat's side
        assertThat(pooled.timewaitUpstreamSideMax()).isLessThan(Math.max(5, http10.timewaitUpstreamSideMax() / 20));
    }

    @Test
    void clientsConnectionCloseLeavesTimeWaitOnTomcatWithoutAnyProxy() throws Exception {
        ModeRunner runner = new ModeRunner(LOAD, Launchers.inProcess(cleanup), cleanup, "127.0.0.1", 0);
        ModeSpec direct = TomcatTimewait.modes(LOAD).stream()
                .filter(m -> m.name().equals("direct-close-header")).findFirst().orElseThrow();

        ModeResult r = runner.run(direct);

        assertThat(r.status2xx()).isPositive();
        assertThat(r.timewaitUpstreamSideMax()).isGreaterThan((int) Math.min(50, r.status2xx() / 4));
        assertThat(r.timeline()).isNotEmpty();
    }

    private static ModeResult run(ModeRunner runner, ModeSpec m) {
        try {
            return runner.run(m);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether proxy-core's Porter can start yet (it is being written in parallel). */
    private static boolean porterRuns() {
        try (var p = dev.porter.bench.proxy.InProcessPorter.start(new dev.porter.bench.proxy.PorterSettings(1,
                new java.net.InetSocketAddress("127.0.0.1", 0), new java.net.InetSocketAddress("127.0.0.1", 9),
                null, 1, 100, "1.1", "proxy"))) {
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}

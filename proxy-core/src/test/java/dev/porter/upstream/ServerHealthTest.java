package dev.porter.upstream;

import dev.porter.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's max_fails / fail_timeout on a clock the test moves, and the lone-server rule. */
class ServerHealthTest {
    private static final long SECOND = 1_000_000_000L;
    private static final ServerConfig TWO_FAILS = server(2, Duration.ofSeconds(10));

    private static ServerConfig server(int maxFails, Duration failTimeout) {
        return new ServerConfig("127.0.0.1:1", new InetSocketAddress("127.0.0.1", 1), 1, maxFails, failTimeout, 0,
                java.util.List.of());
    }

    private final ServerHealth health = new ServerHealth();
    private final long t0 = 5_000 * SECOND;

    @Test
    void maxFailsFailuresWithinFailTimeoutTakeTheServerOutForFailTimeout() {
        assertThat(health.failed(TWO_FAILS, false, "reset", t0)).isFalse();
        assertThat(health.isAvailable(TWO_FAILS, false, t0 + SECOND)).isTrue();
        assertThat(health.failed(TWO_FAILS, false, "reset", t0 + SECOND)).isTrue();

        assertThat(health.isAvailable(TWO_FAILS, false, t0 + 2 * SECOND)).isFalse();
        assertThat(health.isAvailable(TWO_FAILS, false, t0 + 10 * SECOND)).isFalse();
        assertThat(health.isAvailable(TWO_FAILS, false, t0 + 11 * SECOND)).isTrue();
    }

    @Test
    void failuresFurtherApartThanFailTimeoutDoNotAddUp() {
        health.failed(TWO_FAILS, false, "reset", t0);
        assertThat(health.failed(TWO_FAILS, false, "reset", t0 + 11 * SECOND)).isFalse();
        assertThat(health.isAvailable(TWO_FAILS, false, t0 + 12 * SECOND)).isTrue();
    }

    @Test
    void aResponseStartsTheCountOver() {
        health.failed(TWO_FAILS, false, "reset", t0);
        health.succeeded();
        assertThat(health.failed(TWO_FAILS, false, "reset", t0 + SECOND)).isFalse();
        assertThat(health.isAvailable(TWO_FAILS, false, t0 + 2 * SECOND)).isTrue();
    }

    @Test
    void theOnlyServerOfAGroupIsNeverTakenOutButItsFailureIsRecorded() {
        ServerConfig oneFail = server(1, Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            assertThat(health.failed(oneFail, true, "malformed response", t0 + i)).isFalse();
        }
        assertThat(health.isAvailable(oneFail, true, t0 + 10)).isTrue();
        assertThat(health.isDown()).isFalse();
        assertThat(health.lastFailure().reason()).isEqualTo("malformed response");
    }

    @Test
    void maxFailsZeroNeverTakesTheServerOut() {
        ServerConfig never = server(0, Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            assertThat(health.failed(never, false, "reset", t0 + i)).isFalse();
        }
        assertThat(health.isAvailable(never, false, t0 + 5)).isTrue();
    }

    @Test
    void aFailureExactlyFailTimeoutAfterTheFirstStillCounts() {
        health.failed(TWO_FAILS, false, "reset", t0);
        assertThat(health.failed(TWO_FAILS, false, "reset", t0 + 10 * SECOND)).isTrue();
        assertThat(health.isAvailable(TWO_FAILS, false, t0 + 10 * SECOND)).isFalse();
    }

    @Test
    void afterComingBackItTakesMaxFailsNewFailuresToGoOutAgain() {
        health.failed(TWO_FAILS, false, "reset", t0);
        health.failed(TWO_FAILS, false, "reset", t0 + SECOND);
        assertThat(health.isAvailable(TWO_FAILS, false, t0 + 12 * SECOND)).isTrue();
        assertThat(health.failed(TWO_FAILS, false, "reset", t0 + 12 * SECOND)).isFalse();
        assertThat(health.isAvailable(TWO_FAILS, false, t0 + 12 * SECOND)).isTrue();
    }
}

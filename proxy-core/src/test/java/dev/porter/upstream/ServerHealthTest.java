package dev.porter.upstream;

import dev.porter.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nginx's max_fails and fail_timeout for one server, on explicit times: failures count within
 * one fail-timeout window, and max-fails of them take the server out for fail-timeout.
 */
class ServerHealthTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 42 * S;

    private static ServerHealth health(int maxFails, int failTimeoutSeconds) {
        return new ServerHealth(new ServerConfig("127.0.0.1:1", new InetSocketAddress("127.0.0.1", 1), 1, maxFails,
                Duration.ofSeconds(failTimeoutSeconds)));
    }

    @Test
    void maxFailsWithinFailTimeoutTakeTheServerOutForFailTimeout() {
        ServerHealth h = health(2, 10);
        h.failed(T0);
        assertThat(h.isAvailable(T0 + S)).isTrue();
        h.failed(T0 + 5 * S);

        assertThat(h.isAvailable(T0 + 5 * S)).isFalse();
        assertThat(h.isAvailable(T0 + 15 * S - 1)).isFalse();
        assertThat(h.isAvailable(T0 + 15 * S)).isTrue();
    }

    @Test
    void failuresFurtherApartThanFailTimeoutNeverAddUp() {
        ServerHealth h = health(2, 10);
        h.failed(T0);
        h.failed(T0 + 10 * S + 1);
        assertThat(h.isAvailable(T0 + 10 * S + 1)).isTrue();
        h.failed(T0 + 20 * S);
        assertThat(h.isAvailable(T0 + 20 * S)).as("two within the second window").isFalse();
    }

    @Test
    void aFailureExactlyFailTimeoutAfterTheFirstStillCounts() {
        ServerHealth h = health(2, 10);
        h.failed(T0);
        h.failed(T0 + 10 * S);
        assertThat(h.isAvailable(T0 + 10 * S)).isFalse();
    }

    @Test
    void aSuccessForgetsEarlierFailures() {
        ServerHealth h = health(2, 10);
        h.failed(T0);
        h.succeeded();
        h.failed(T0 + S);
        assertThat(h.isAvailable(T0 + S)).isTrue();
    }

    @Test
    void maxFailsZeroNeverTakesTheServerOut() {
        ServerHealth h = health(0, 10);
        for (int i = 0; i < 5; i++) {
            h.failed(T0 + i);
        }
        assertThat(h.isAvailable(T0 + 5)).isTrue();
    }

    @Test
    void afterComingBackItTakesMaxFailsNewFailuresToGoOutAgain() {
        ServerHealth h = health(2, 10);
        h.failed(T0);
        h.failed(T0 + S);
        assertThat(h.isAvailable(T0 + 11 * S)).isTrue();
        h.failed(T0 + 12 * S);
        assertThat(h.isAvailable(T0 + 12 * S)).isTrue();
    }
}

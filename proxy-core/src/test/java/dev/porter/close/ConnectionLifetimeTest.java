package dev.porter.close;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLifetimeTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final ConnectionLifetime CONFIGURED = new ConnectionLifetime(1000, HOUR);

    /** Draws the given end of every range it is asked for. */
    private static RandomGenerator always(boolean highest) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long bound) {
                return highest ? bound - 1 : 0;
            }
        };
    }

    @Test
    void aConnectionsLimitsAreTheConfiguredOnesAtMostAndNineTenthsOfThemAtLeast() {
        assertThat(CONFIGURED.forOneConnection(always(false))).isEqualTo(CONFIGURED);
        assertThat(CONFIGURED.forOneConnection(always(true))).isEqualTo(new ConnectionLifetime(900, HOUR - HOUR / 10));
    }

    @Test
    void connectionsOpenedTogetherGetLimitsSpreadOverTheTenth() {
        Random random = new Random(42);
        Set<Long> requests = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ConnectionLifetime one = CONFIGURED.forOneConnection(random);
            assertThat(one.maxRequests()).isBetween(900L, 1000L);
            assertThat(one.maxAgeNanos()).isBetween(HOUR - HOUR / 10, HOUR);
            requests.add(one.maxRequests());
        }
        assertThat(requests).hasSizeGreaterThan(90);
    }

    @Test
    void limitsOfUnderTenRequestsAreKeptExactly() {
        ConnectionLifetime nine = new ConnectionLifetime(9, 1);
        assertThat(nine.forOneConnection(always(true))).isEqualTo(nine);
        assertThat(new ConnectionLifetime(1, HOUR).forOneConnection(always(true)).maxRequests()).isEqualTo(1);
    }

    @Test
    void aConnectionIsOverItsLifetimeByRequestsFirstThenByAge() {
        ConnectionLifetime l = new ConnectionLifetime(3, 100);
        assertThat(l.over(2, 100)).isNull();
        assertThat(l.over(3, 101)).isEqualTo(CloseReason.KEEPALIVE_REQUESTS);
        assertThat(l.over(2, 101)).isEqualTo(CloseReason.KEEPALIVE_TIME);
    }
}

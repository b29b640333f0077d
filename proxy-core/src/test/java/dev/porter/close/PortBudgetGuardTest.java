package dev.porter.close;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard's count of ports held, on a clock the test moves. */
class PortBudgetGuardTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicInteger open = new AtomicInteger();
    private final PortBudgetGuard guard = new PortBudgetGuard("app 127.0.0.1:8080", 1000, 50, open::get);
    private final long t0 = 7_000 * SECOND;

    @Test
    void engagesOnceOpenConnectionsAndRecentClosesReachTheThreshold() {
        open.set(300);
        for (int i = 0; i < 199; i++) {
            guard.closedFirst(t0 + i * 1_000_000L);
        }
        assertThat(guard.held()).isEqualTo(499);
        assertThat(guard.engaged()).isFalse();
        guard.closedFirst(t0 + SECOND / 2);
        assertThat(guard.held()).isEqualTo(500);
        assertThat(guard.engaged()).isTrue();
    }

    @Test
    void closesAreForgottenAfterSixtySecondsOfTimeWait() {
        for (int i = 0; i < 100; i++) {
            guard.closedFirst(t0);
        }
        guard.closedFirst(t0 + 30 * SECOND);
        guard.tick(t0 + 59 * SECOND);
        assertThat(guard.held()).isEqualTo(101);
        guard.tick(t0 + 60 * SECOND);
        assertThat(guard.held()).isEqualTo(1);
        guard.tick(t0 + 90 * SECOND);
        assertThat(guard.held()).isZero();
    }

    @Test
    void disengagesOnlyWellBelowTheThreshold() {
        open.set(500);
        guard.closedFirst(t0);
        assertThat(guard.engaged()).isTrue();
        open.set(420);
        guard.tick(t0 + SECOND);
        assertThat(guard.engaged()).as("421 held is above 80%% of 500").isTrue();
        open.set(300);
        guard.tick(t0 + 2 * SECOND);
        assertThat(guard.engaged()).isFalse();
    }

    @Test
    void aBucketReusedAMinuteLaterStartsFromZero() {
        guard.closedFirst(t0);
        guard.closedFirst(t0 + 60 * SECOND); // same slot of the ring, one TIME_WAIT later
        assertThat(guard.held()).isEqualTo(1);
    }

    @Test
    void theTickEngagesWhenOpenConnectionsAloneReachTheThreshold() {
        open.set(500);
        assertThat(guard.engaged()).isFalse();
        guard.tick(t0);
        assertThat(guard.engaged()).as("before the first close past the threshold").isTrue();
    }

    @Test
    void offNeverEngages() {
        PortBudgetGuard off = new PortBudgetGuard("s", 1000, 0, () -> 5000);
        off.closedFirst(t0);
        assertThat(off.engaged()).isFalse();
    }
}

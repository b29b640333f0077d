package dev.porter.close;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard's count of ports held, on a clock the test moves. */
class PortBudgetGuardTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicInteger open = new AtomicInteger();
    private final long t0 = 7_000 * SECOND;
    private final AtomicLong clock = new AtomicLong(t0);
    private final PortBudgetGuard guard = new PortBudgetGuard("app 127.0.0.1:8080", 1000, 50, open::get, clock::get);

    private void closingFirstAt(long nanos) {
        clock.set(nanos);
        guard.closingFirst();
    }

    private void tickAt(long nanos) {
        clock.set(nanos);
        guard.tick();
    }

    @Test
    void engagesOnceOpenConnectionsAndRecentClosesReachTheThreshold() {
        open.set(300);
        for (int i = 0; i < 199; i++) {
            closingFirstAt(t0 + i * 1_000_000L);
        }
        assertThat(guard.held()).isEqualTo(499);
        assertThat(guard.engaged()).isFalse();
        closingFirstAt(t0 + SECOND / 2);
        assertThat(guard.held()).isEqualTo(500);
        assertThat(guard.engaged()).isTrue();
    }

    @Test
    void closesAreForgottenAfterSixtySecondsOfTimeWait() {
        for (int i = 0; i < 100; i++) {
            closingFirstAt(t0);
        }
        closingFirstAt(t0 + 30 * SECOND);
        tickAt(t0 + 59 * SECOND);
        assertThat(guard.held()).isEqualTo(101);
        tickAt(t0 + 60 * SECOND);
        assertThat(guard.held()).isEqualTo(1);
        tickAt(t0 + 90 * SECOND);
        assertThat(guard.held()).isZero();
    }

    @Test
    void disengagesOnlyWellBelowTheThreshold() {
        open.set(500);
        closingFirstAt(t0);
        assertThat(guard.engaged()).isTrue();
        open.set(420);
        tickAt(t0 + SECOND);
        assertThat(guard.engaged()).as("421 held is above 80%% of 500").isTrue();
        open.set(300);
        tickAt(t0 + 2 * SECOND);
        assertThat(guard.engaged()).isFalse();
    }

    @Test
    void aBucketReusedAMinuteLaterStartsFromZero() {
        closingFirstAt(t0);
        closingFirstAt(t0 + 60 * SECOND); // same slot of the ring, one TIME_WAIT later
        assertThat(guard.held()).isEqualTo(1);
    }

    @Test
    void theTickEngagesWhenOpenConnectionsAloneReachTheThreshold() {
        open.set(500);
        assertThat(guard.engaged()).isFalse();
        tickAt(t0);
        assertThat(guard.engaged()).as("before the first close past the threshold").isTrue();
    }

    @Test
    void aTickRightAfterACloseForgetsNothing() {
        // The closes and the tick read the same clock: a close one millisecond old is kept.
        for (int i = 0; i < 10; i++) {
            closingFirstAt(t0);
        }
        tickAt(t0 + 1_000_000L);
        assertThat(guard.held()).isEqualTo(10);
    }

    @Test
    void offNeverEngages() {
        PortBudgetGuard off = new PortBudgetGuard("s", 1000, 0, () -> 5000, clock::get);
        off.closingFirst();
        assertThat(off.engaged()).isFalse();
    }
}

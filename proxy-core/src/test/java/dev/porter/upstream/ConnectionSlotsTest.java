package dev.porter.upstream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** max-conns' count across threads: never above the cap, every slot given back. */
class ConnectionSlotsTest {

    @Test
    void slotsAreTakenUpToTheCapAndFreedByRelease() {
        ConnectionSlots slots = new ConnectionSlots(2);
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.tryAcquire()).isFalse();
        assertThat(slots.full()).isTrue();
        slots.release();
        assertThat(slots.open()).isEqualTo(1);
        assertThat(slots.tryAcquire()).isTrue();
    }

    @Test
    void withoutACapConnectionsAreCountedButNeverRefused() {
        ConnectionSlots slots = new ConnectionSlots(0);
        for (int i = 0; i < 100; i++) {
            assertThat(slots.tryAcquire()).isTrue();
        }
        assertThat(slots.open()).isEqualTo(100);
        assertThat(slots.full()).isFalse();
    }

    @Test
    void raisingTheCapOnReloadAdmitsMore() {
        ConnectionSlots slots = new ConnectionSlots(1);
        slots.tryAcquire();
        assertThat(slots.tryAcquire()).isFalse();
        slots.limit(2);
        assertThat(slots.tryAcquire()).isTrue();
    }

    @Test
    void threadsRacingForSlotsNeverHoldMoreThanTheCap() throws Exception {
        ConnectionSlots slots = new ConnectionSlots(4);
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    if (slots.tryAcquire()) {
                        most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                        holding.decrementAndGet();
                        slots.release();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(most.get()).isBetween(1, 4);
        assertThat(slots.open()).isZero();
    }
}

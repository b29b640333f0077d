package dev.porter.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {
    private static final long MS = 1_000_000L;

    @Test
    void withoutBurstOneRequestIsAdmittedPerInterval() {
        long t = 1_000 * MS;
        TokenBucket b = new TokenBucket(5, 0, t);
        assertThat(b.tryAcquire(t)).isTrue();
        assertThat(b.tryAcquire(t)).isFalse();
        assertThat(b.tryAcquire(t + 199 * MS)).isFalse();
        assertThat(b.tryAcquire(t + 200 * MS)).isTrue();
        assertThat(b.tryAcquire(t + 200 * MS)).isFalse();
    }

    @Test
    void aBurstOfOnePlusRateBurstIsAdmittedAtOnceThenTheRateApplies() {
        long t = 0;
        TokenBucket b = new TokenBucket(10, 3, t);
        for (int i = 0; i < 4; i++) {
            assertThat(b.tryAcquire(t)).as("request %d", i).isTrue();
        }
        assertThat(b.tryAcquire(t)).isFalse();
        assertThat(b.nanosUntilToken(t)).isEqualTo(100 * MS);
        assertThat(b.tryAcquire(t + 100 * MS)).isTrue();
        assertThat(b.tryAcquire(t + 100 * MS)).isFalse();
    }

    @Test
    void refusedRequestsCostNothingSoAHammeringClientIsAdmittedAgainAtTheRate() {
        TokenBucket b = new TokenBucket(5, 0, 0);
        assertThat(b.tryAcquire(0)).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(b.tryAcquire(i * 100_000L)).isFalse(); // 1000 tries within 100 ms
        }
        assertThat(b.tryAcquire(200 * MS)).isTrue();
    }

    @Test
    void anIdleBucketRefillsToItsBurstAndNoFurther() {
        TokenBucket b = new TokenBucket(10, 2, 0);
        assertThat(b.refillNanos()).isEqualTo(300 * MS);
        long later = 60_000 * MS;
        int admitted = 0;
        while (b.tryAcquire(later)) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(3);
    }

    @Test
    void worksAcrossTheNanoTimeWrap() {
        long t = Long.MAX_VALUE - 50 * MS;
        TokenBucket b = new TokenBucket(10, 0, t);
        assertThat(b.tryAcquire(t)).isTrue();
        assertThat(b.tryAcquire(t + 50 * MS)).isFalse();
        assertThat(b.tryAcquire(t + 100 * MS)).isTrue(); // past Long.MAX_VALUE
        assertThat(b.tryAcquire(t + 150 * MS)).isFalse();
    }

    @Test
    void concurrentRequestsAtOneInstantAdmitExactlyTheBurst() throws Exception {
        TokenBucket b = new TokenBucket(1, 99, 0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int th = 0; th < 8; th++) {
                results.add(pool.submit(() -> {
                    go.await();
                    int n = 0;
                    for (int i = 0; i < 1000; i++) {
                        if (b.tryAcquire(0)) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(10, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }
}

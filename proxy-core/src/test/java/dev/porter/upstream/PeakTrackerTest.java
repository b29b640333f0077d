package dev.porter.upstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The recent peak that keepalive = auto keeps, over a window the test's clock crosses. */
class PeakTrackerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void thePeakLastsAtLeastHalfAWindowAndAtMostAWholeOne() {
        long t0 = 1_000 * SECOND;
        PeakTracker peak = new PeakTracker(60 * SECOND, t0);
        peak.record(200, t0 + SECOND);
        peak.record(5, t0 + 10 * SECOND);
        assertThat(peak.peak(t0 + 29 * SECOND)).isEqualTo(200);
        assertThat(peak.peak(t0 + 59 * SECOND)).as("the previous half still holds it").isEqualTo(200);
        peak.record(7, t0 + 61 * SECOND);
        assertThat(peak.peak(t0 + 91 * SECOND)).isEqualTo(7);
        assertThat(peak.peak(t0 + 200 * SECOND)).isZero();
    }
}

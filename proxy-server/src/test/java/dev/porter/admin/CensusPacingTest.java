package dev.porter.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gap between readings of the kernel's socket table, on a clock of the test's own. */
class CensusPacingTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private final CensusPacing pacing = new CensusPacing();

    @Test
    void theFirstReadingIsDueAtOnce() {
        assertThat(pacing.due(123)).isTrue();
    }

    @Test
    void aCheapReadingIsRepeatedEveryFiveSeconds() {
        long t = 1_000 * S;
        pacing.took(t, t + 2 * MS);
        assertThat(pacing.due(t + 2 * MS + 5 * S - 1)).isFalse();
        assertThat(pacing.due(t + 2 * MS + 5 * S)).isTrue();
    }

    @Test
    void anExpensiveReadingWaitsLongEnoughToStayUnderHalfAPercentOfACore() {
        long t = 1_000 * S;
        pacing.took(t, t + 60 * MS); // 14,000 sockets in TIME_WAIT read ~30-60 ms here: 12 s apart
        assertThat(pacing.due(t + 60 * MS + 12 * S - 1)).isFalse();
        assertThat(pacing.due(t + 60 * MS + 12 * S)).isTrue();
    }

    @Test
    void theGapNeverPassesAMinuteSoTheGaugesDoNotGoStale() {
        long t = 1_000 * S;
        pacing.took(t, t + 2 * S); // 400 s by the share alone
        assertThat(pacing.due(t + 2 * S + 60 * S - 1)).isFalse();
        assertThat(pacing.due(t + 2 * S + 60 * S)).isTrue();
    }

    @Test
    void theGapFollowsTheLatestReadingBackDown() {
        long t = 1_000 * S;
        pacing.took(t, t + 100 * MS);
        pacing.took(t + 30 * S, t + 30 * S + MS);
        assertThat(pacing.due(t + 30 * S + MS + 5 * S - 1)).isFalse();
        assertThat(pacing.due(t + 30 * S + MS + 5 * S)).isTrue();
    }
}

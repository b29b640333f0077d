package dev.porter.close;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamReusePolicyTest {
    private static final long HOUR = 3_600_000_000_000L;

    private static ReuseFacts healthy() {
        return new ReuseFacts(false, true, true, true, true, 1, 1000, 1_000_000, HOUR, false);
    }

    @Test
    void healthyConnectionGoesBackToThePool() {
        assertThat(UpstreamReusePolicy.decide(healthy())).isEmpty();
    }

    @Test
    void requestBodyNotFullySentIsNeverReused() {
        ReuseFacts f = new ReuseFacts(false, true, false, true, true, 1, 1000, 1, HOUR, false);
        assertThat(UpstreamReusePolicy.decide(f)).contains(CloseReason.BODY_NOT_SENT);
    }

    @Test
    void upstreamThatSaidCloseIsNotReused() {
        ReuseFacts f = new ReuseFacts(false, true, true, false, true, 1, 1000, 1, HOUR, false);
        assertThat(UpstreamReusePolicy.decide(f)).contains(CloseReason.UPSTREAM_CLOSE);
    }

    @Test
    void failureOrIncompleteResponseIsAnError() {
        assertThat(UpstreamReusePolicy.decide(new ReuseFacts(true, true, true, true, true, 1, 1000, 1, HOUR, false)))
                .contains(CloseReason.ERROR);
        assertThat(UpstreamReusePolicy.decide(new ReuseFacts(false, false, true, true, true, 1, 1000, 1, HOUR, false)))
                .contains(CloseReason.ERROR);
    }

    @Test
    void limitsRetireTheConnection() {
        assertThat(UpstreamReusePolicy.decide(new ReuseFacts(false, true, true, true, true, 1000, 1000, 1, HOUR, false)))
                .contains(CloseReason.KEEPALIVE_REQUESTS);
        assertThat(UpstreamReusePolicy.decide(new ReuseFacts(false, true, true, true, true, 1, 1000, HOUR + 1, HOUR, false)))
                .contains(CloseReason.KEEPALIVE_TIME);
        assertThat(UpstreamReusePolicy.decide(new ReuseFacts(false, true, true, true, false, 1, 1000, 1, HOUR, false)))
                .contains(CloseReason.NOT_POOLED);
        assertThat(UpstreamReusePolicy.decide(new ReuseFacts(false, true, true, true, true, 1, 1000, 1, HOUR, true)))
                .isEqualTo(Optional.of(CloseReason.SHUTDOWN));
    }

    @Test
    void theLimitsAreInclusiveOfTheirLastRequestButNotOfTheirLastNanosecond() {
        // keepalive-requests: the 1000th request is the last; keepalive-time: older than, not as old as.
        assertThat(UpstreamReusePolicy.decide(new ReuseFacts(false, true, true, true, true, 999, 1000, HOUR, HOUR, false)))
                .isEmpty();
        assertThat(UpstreamReusePolicy.decide(new ReuseFacts(false, true, true, true, true, 1000, 1000, HOUR, HOUR, false)))
                .contains(CloseReason.KEEPALIVE_REQUESTS);
    }
}

package dev.porter.close;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamReusePolicyTest {
    private static final long HOUR = 3_600_000_000_000L;
    private static final ConnectionLifetime LIFETIME = new ConnectionLifetime(1000, HOUR);

    private static ReuseFacts facts(boolean failed, boolean responseComplete, boolean requestComplete,
                                    boolean upstreamKeepAlive, boolean pooling, long requests, long age, boolean shuttingDown) {
        return new ReuseFacts(failed, responseComplete, requestComplete, upstreamKeepAlive, pooling, shuttingDown,
                LIFETIME.over(requests, age));
    }

    @Test
    void healthyConnectionGoesBackToThePool() {
        assertThat(UpstreamReusePolicy.decide(facts(false, true, true, true, true, 1, 1_000_000, false))).isEmpty();
    }

    @Test
    void requestBodyNotFullySentIsNeverReused() {
        assertThat(UpstreamReusePolicy.decide(facts(false, true, false, true, true, 1, 1, false)))
                .contains(CloseReason.BODY_NOT_SENT);
    }

    @Test
    void upstreamThatSaidCloseIsNotReused() {
        assertThat(UpstreamReusePolicy.decide(facts(false, true, true, false, true, 1, 1, false)))
                .contains(CloseReason.UPSTREAM_CLOSE);
    }

    @Test
    void failureOrIncompleteResponseIsAnError() {
        assertThat(UpstreamReusePolicy.decide(facts(true, true, true, true, true, 1, 1, false))).contains(CloseReason.ERROR);
        assertThat(UpstreamReusePolicy.decide(facts(false, false, true, true, true, 1, 1, false))).contains(CloseReason.ERROR);
    }

    @Test
    void limitsRetireTheConnection() {
        assertThat(UpstreamReusePolicy.decide(facts(false, true, true, true, true, 1000, 1, false)))
                .contains(CloseReason.KEEPALIVE_REQUESTS);
        assertThat(UpstreamReusePolicy.decide(facts(false, true, true, true, true, 1, HOUR + 1, false)))
                .contains(CloseReason.KEEPALIVE_TIME);
        assertThat(UpstreamReusePolicy.decide(facts(false, true, true, true, false, 1, 1, false)))
                .contains(CloseReason.NOT_POOLED);
        assertThat(UpstreamReusePolicy.decide(facts(false, true, true, true, true, 1, 1, true)))
                .isEqualTo(Optional.of(CloseReason.SHUTDOWN));
    }

    @Test
    void theLifetimeEndsAtKeepaliveRequestsOrPastKeepaliveTime() {
        assertThat(LIFETIME.over(999, HOUR)).isNull();
        assertThat(LIFETIME.over(1000, 0)).isEqualTo(CloseReason.KEEPALIVE_REQUESTS);
        assertThat(LIFETIME.over(1, HOUR + 1)).isEqualTo(CloseReason.KEEPALIVE_TIME);
    }
}

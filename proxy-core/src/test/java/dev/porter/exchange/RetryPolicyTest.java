package dev.porter.exchange;

import dev.porter.config.NextUpstream;
import dev.porter.exchange.RetryPolicy.Decision;
import dev.porter.exchange.RetryPolicy.Facts;
import dev.porter.exchange.RetryPolicy.Failure;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {
    private static final Set<NextUpstream> DEFAULT = Set.of(NextUpstream.ERROR, NextUpstream.TIMEOUT);

    private static Facts facts(Failure failure, boolean reused, boolean idempotent, boolean sent) {
        return new Facts(failure, reused, false, false, true, idempotent, sent, DEFAULT, 1, 2, true);
    }

    @Test
    void idempotentRequestOnADeadReusedConnectionIsRetriedOnAFreshOne() {
        assertThat(RetryPolicy.decide(facts(Failure.ERROR, true, true, true))).isEqualTo(Decision.RETRY_FRESH_CONNECTION);
    }

    @Test
    void postThatWasNotWrittenIsRetriedToo() {
        assertThat(RetryPolicy.decide(facts(Failure.ERROR, true, false, false))).isEqualTo(Decision.RETRY_FRESH_CONNECTION);
    }

    @Test
    void postThatWasSentIsNeverReplayed() {
        assertThat(RetryPolicy.decide(facts(Failure.ERROR, true, false, true))).isEqualTo(Decision.FAIL);
        assertThat(RetryPolicy.decide(facts(Failure.ERROR, false, false, true))).isEqualTo(Decision.FAIL);
        assertThat(RetryPolicy.decide(facts(Failure.TIMEOUT, false, false, true))).isEqualTo(Decision.FAIL);
    }

    @Test
    void theKeepaliveRaceIsRetriedOnlyOnce() {
        Facts again = new Facts(Failure.ERROR, true, false, true, true, true, true, DEFAULT, 1, 1, true);
        assertThat(RetryPolicy.decide(again)).isEqualTo(Decision.FAIL);
    }

    @Test
    void otherFailuresGoToTheNextServerAsNextUpstreamAllows() {
        assertThat(RetryPolicy.decide(facts(Failure.ERROR, false, true, true))).isEqualTo(Decision.NEXT_SERVER);
        assertThat(RetryPolicy.decide(facts(Failure.TIMEOUT, false, true, true))).isEqualTo(Decision.NEXT_SERVER);
        Facts noTimeout = new Facts(Failure.TIMEOUT, false, false, false, true, true, true, Set.of(NextUpstream.ERROR), 1, 2, true);
        assertThat(RetryPolicy.decide(noTimeout)).isEqualTo(Decision.FAIL);
        Facts outOfTries = new Facts(Failure.ERROR, false, false, false, true, true, true, DEFAULT, 2, 2, true);
        assertThat(RetryPolicy.decide(outOfTries)).isEqualTo(Decision.FAIL);
        Facts outOfTime = new Facts(Failure.ERROR, false, false, false, true, true, true, DEFAULT, 1, 2, false);
        assertThat(RetryPolicy.decide(outOfTime)).isEqualTo(Decision.FAIL);
    }

    @Test
    void aResponseThatStartedOrWasMalformedIsNeverRetried() {
        Facts started = new Facts(Failure.ERROR, true, true, false, true, true, false, DEFAULT, 1, 2, true);
        assertThat(RetryPolicy.decide(started)).isEqualTo(Decision.FAIL);
        assertThat(RetryPolicy.decide(facts(Failure.MALFORMED, true, true, false))).isEqualTo(Decision.FAIL);
    }

    @Test
    void aBodyLargerThanTheReplayBufferIsNotReplayed() {
        Facts big = new Facts(Failure.ERROR, true, false, false, false, true, true, DEFAULT, 1, 2, true);
        assertThat(RetryPolicy.decide(big)).isEqualTo(Decision.FAIL);
    }
}

package dev.porter.close;

import dev.porter.close.UpstreamClosePolicy.Plan;
import dev.porter.config.CloseInitiator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where TIME_WAIT lands, by why a connection ends and who the operator wants to close first. */
class UpstreamClosePolicyTest {

    @Test
    void anAnnouncedUpstreamCloseIsAwaitedWhateverTheSetting() {
        for (CloseInitiator c : CloseInitiator.values()) {
            assertThat(UpstreamClosePolicy.plan(CloseReason.UPSTREAM_CLOSE, c)).isEqualTo(Plan.AWAIT_UPSTREAM_FIN);
        }
    }

    @Test
    void closeInitiatorUpstreamLeavesHealthyConnectionsToTheUpstream() {
        for (CloseReason r : new CloseReason[] {CloseReason.IDLE_TIMEOUT, CloseReason.POOL_FULL,
                CloseReason.KEEPALIVE_TIME, CloseReason.KEEPALIVE_REQUESTS}) {
            assertThat(UpstreamClosePolicy.plan(r, CloseInitiator.PEER)).isEqualTo(Plan.LEAVE_TO_UPSTREAM);
        }
        // A broken connection is closed at once, whoever should close first.
        assertThat(UpstreamClosePolicy.plan(CloseReason.ERROR, CloseInitiator.PEER)).isEqualTo(Plan.CLOSE);
        assertThat(UpstreamClosePolicy.plan(CloseReason.MAX_CONNS, CloseInitiator.PEER)).isEqualTo(Plan.CLOSE);
    }

    @Test
    void proxyClosesAndResetResets() {
        assertThat(UpstreamClosePolicy.plan(CloseReason.IDLE_TIMEOUT, CloseInitiator.PROXY)).isEqualTo(Plan.CLOSE);
        assertThat(UpstreamClosePolicy.plan(CloseReason.IDLE_TIMEOUT, CloseInitiator.RESET)).isEqualTo(Plan.RESET);
        assertThat(UpstreamClosePolicy.plan(CloseReason.ERROR, CloseInitiator.RESET)).isEqualTo(Plan.RESET);
    }
}

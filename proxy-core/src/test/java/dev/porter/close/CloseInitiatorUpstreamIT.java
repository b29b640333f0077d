package dev.porter.close;

import dev.porter.metrics.PoolSnapshot;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * close-initiator = upstream against an upstream that ignores {@code Connection: close}: Porter
 * asks on the connection's last request, waits, and closes the connection itself only after
 * another keepalive-timeout, so that a misbehaving upstream cannot pin connections forever.
 */
class CloseInitiatorUpstreamIT {
    private static final String GET = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";

    @Test
    void anUpstreamThatNeverClosesIsClosedByPorterAfterAnotherKeepaliveTimeout() throws Exception {
        // Answers every request keep-alive, whatever the request said, and never closes.
        try (RecordingUpstream upstream = new RecordingUpstream();
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()},
                     "close-initiator = upstream\n keepalive-requests = 2\n keepalive-timeout = 2s", "",
                     "server-defaults.max-fails = 0");
             RawHttp c = p.connect()) {
            assertThat(c.send(GET).read().status).isEqualTo(200);
            assertThat(c.send(GET).read().status).isEqualTo(200);

            assertThat(upstream.received().get(0).header("connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(upstream.received().get(1).header("connection")).as("the last request asks the upstream to close")
                    .isEqualToIgnoringCase("close");
            // Right after the response the connection is out of the pool but still open: the upstream's turn.
            PoolSnapshot waiting = p.status().pools().get(0);
            assertThat(waiting.idle()).isZero();
            assertThat(waiting.closedBy()).containsEntry(ClosedBy.PROXY, 0L);

            await().atMost(Duration.ofSeconds(15)).until(() -> upstream.closedByPeer(0));
            PoolSnapshot s = p.status().pools().get(0);
            assertThat(s.closedBy()).containsEntry(ClosedBy.PROXY, 1L).containsEntry(ClosedBy.UPSTREAM, 0L);
            assertThat(s.closedReason()).containsEntry(CloseReason.KEEPALIVE_REQUESTS, 1L);
            // The next request gets a new connection.
            assertThat(c.send(GET).read().bodyText()).startsWith("conn=1 ");
        }
    }
}

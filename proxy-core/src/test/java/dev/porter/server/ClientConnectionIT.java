package dev.porter.server;

import dev.porter.metrics.ClientSnapshot;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How client connections end over real sockets: an idle one after the listener's
 * keepalive-timeout, and with close-initiator = client, after linger-timeout when the client
 * never sends its FIN. The upstream connection is not what ends.
 */
class ClientConnectionIT {
    private static final String GET = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";

    private static int openClientConnections(PorterFixture p) {
        return p.status().clients().stream().mapToInt(ClientSnapshot::open).sum();
    }

    @Test
    void anIdleClientConnectionIsClosedAfterKeepaliveTimeoutAndItsUpstreamConnectionStaysPooled() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream();
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "keepalive-timeout = 300ms");
             RawHttp c = p.connect()) {
            RawHttp.Response r = c.send(GET).read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.header("connection")).as("kept alive until it idles").isNotEqualTo("close");

            assertThat(c.isClosedByPeer()).isTrue();

            await().atMost(Duration.ofSeconds(5)).until(() -> openClientConnections(p) == 0);
            assertThat(p.status().pools().get(0).idle()).isEqualTo(1);
            assertThat(upstream.closedByPeer(0)).isFalse();
        }
    }

    @Test
    void aClientThatKeepsSendingIsNotCutByKeepaliveTimeout() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream();
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "", "keepalive-timeout = 300ms");
             RawHttp c = p.connect()) {
            // Requests closer together than keepalive-timeout for longer than it, on one connection.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> c.send(GET).read().status == 200 && upstream.received().size() >= 12);
            assertThat(p.status().clients().get(0).accepted()).isEqualTo(1);
        }
    }

    @Test
    void closeInitiatorClientWaitsForTheClientsFinAndClosesItselfAfterLingerTimeout() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream();
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "",
                     "close-initiator = client, linger-timeout = 500ms");
             RawHttp c = p.connect()) {
            RawHttp.Response r = c.send("GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.header("connection")).isEqualTo("close");
            // The response is out and Porter still holds the connection, waiting for the client's FIN.
            assertThat(openClientConnections(p)).isEqualTo(1);

            // This client never closes: Porter does, after linger-timeout.
            assertThat(c.isClosedByPeer()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> openClientConnections(p) == 0);
        }
    }
}

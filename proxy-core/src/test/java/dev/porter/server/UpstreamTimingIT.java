package dev.porter.server;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.testing.FullBacklog;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import dev.porter.testing.ScriptedUpstream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The upstream limits that are about time, over real sockets: connect-timeout, keepalive-time,
 * and how far next-upstream goes (next-upstream-tries, next-upstream-timeout). Health is off
 * (max-fails = 0) wherever it could change which server a request meets.
 */
class UpstreamTimingIT {
    private static final String NO_HEALTH = "server-defaults.max-fails = 0";
    private static final String GET = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";

    /** Reads the request and closes without answering: a failure Porter sees at once. */
    private static final ScriptedUpstream.Script FAILS_AT_ONCE = (conn, index) -> conn.readRequest();

    /** Reads the request, takes a second, then closes without answering. */
    private static final ScriptedUpstream.Script FAILS_AFTER_A_SECOND = (conn, index) -> {
        conn.readRequest();
        try {
            Thread.sleep(1000); // the upstream's slowness, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    private static RawHttp.Response get(PorterFixture p) throws IOException {
        try (RawHttp c = p.connect()) {
            return c.send(GET).read();
        }
    }

    private static PoolSnapshot pool(PorterFixture p, String server) {
        return p.status().pools().stream().filter(s -> s.server().equals(server)).findFirst().orElseThrow();
    }

    @Test
    void aServerThatNeverAcceptsWithinConnectTimeoutGets504() throws Exception {
        try (FullBacklog hanging = new FullBacklog();
             PorterFixture p = PorterFixture.start(1, new String[] {hanging.address()}, "connect-timeout = 300ms", "", NO_HEALTH)) {
            assertThat(get(p).status).isEqualTo(504);
            PoolSnapshot s = pool(p, hanging.address());
            assertThat(s.connectErrors()).containsExactlyEntriesOf(java.util.Map.of("ETIMEDOUT", 1L));
            assertThat(s.opened()).isZero();
        }
    }

    @Test
    void aConnectTimeoutPassesTheRequestToTheNextServer() throws Exception {
        try (FullBacklog hanging = new FullBacklog();
             RecordingUpstream healthy = new RecordingUpstream();
             PorterFixture p = PorterFixture.start(1, new String[] {hanging.address(), healthy.address()},
                     "connect-timeout = 300ms", "", NO_HEALTH)) {
            RawHttp.Response r = get(p);
            assertThat(r.status).isEqualTo(200);
            assertThat(healthy.received()).hasSize(1);
            assertThat(pool(p, hanging.address()).connectErrors()).containsEntry("ETIMEDOUT", 1L);
        }
    }

    @Test
    void aConnectionOlderThanKeepaliveTimeIsRetiredAndANewOneOpened() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream();
             PorterFixture p = PorterFixture.start(1, new String[] {upstream.address()}, "keepalive-time = 500ms", "", NO_HEALTH);
             RawHttp c = p.connect()) {
            // Requests one after another on one client: the first connection serves them until
            // it is older than keepalive-time, then a second one takes over. (That pooled
            // connections are reused at all is KeepalivePoolingIT's.)
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                assertThat(c.send(GET).read().status).isEqualTo(200);
                return upstream.connections() >= 2;
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> upstream.closedByPeer(0));
            PoolSnapshot s = p.status().pools().get(0);
            assertThat(s.closedReason()).containsEntry(CloseReason.KEEPALIVE_TIME, 1L);
            assertThat(s.closedBy()).containsEntry(ClosedBy.PROXY, 1L);
        }
    }

    @Test
    void nextUpstreamTriesCapsTheServersTriedForOneRequest() throws Exception {
        try (ScriptedUpstream a = new ScriptedUpstream(FAILS_AT_ONCE);
             ScriptedUpstream b = new ScriptedUpstream(FAILS_AT_ONCE);
             ScriptedUpstream c = new ScriptedUpstream(FAILS_AT_ONCE);
             PorterFixture p = PorterFixture.start(1, new String[] {a.address(), b.address(), c.address()},
                     "next-upstream-tries = 2", "", NO_HEALTH)) {
            assertThat(get(p).status).isEqualTo(502);
            assertThat(List.of(a.requests().size(), b.requests().size(), c.requests().size())).containsExactly(1, 1, 0);
        }
    }

    @Test
    void withoutNextUpstreamTriesEveryServerIsTriedOnce() throws Exception {
        try (ScriptedUpstream a = new ScriptedUpstream(FAILS_AT_ONCE);
             ScriptedUpstream b = new ScriptedUpstream(FAILS_AT_ONCE);
             ScriptedUpstream c = new ScriptedUpstream(FAILS_AT_ONCE);
             PorterFixture p = PorterFixture.start(1, new String[] {a.address(), b.address(), c.address()},
                     "", "", NO_HEALTH)) {
            assertThat(get(p).status).isEqualTo(502);
            assertThat(List.of(a.requests().size(), b.requests().size(), c.requests().size())).containsExactly(1, 1, 1);
        }
    }

    @Test
    void noFurtherServerIsTriedOnceNextUpstreamTimeoutHasPassed() throws Exception {
        // The first server takes a second to fail, longer than next-upstream-timeout.
        try (ScriptedUpstream slow = new ScriptedUpstream(FAILS_AFTER_A_SECOND);
             ScriptedUpstream b = new ScriptedUpstream(FAILS_AT_ONCE);
             ScriptedUpstream c = new ScriptedUpstream(FAILS_AT_ONCE);
             PorterFixture p = PorterFixture.start(1, new String[] {slow.address(), b.address(), c.address()},
                     "next-upstream-timeout = 500ms", "", NO_HEALTH)) {
            assertThat(get(p).status).isEqualTo(502);
            assertThat(List.of(slow.requests().size(), b.requests().size(), c.requests().size())).containsExactly(1, 0, 0);
        }
    }

    @Test
    void withinNextUpstreamTimeoutTheNextServersAreTried() throws Exception {
        try (ScriptedUpstream slow = new ScriptedUpstream(FAILS_AFTER_A_SECOND);
             ScriptedUpstream b = new ScriptedUpstream(FAILS_AT_ONCE);
             ScriptedUpstream c = new ScriptedUpstream(FAILS_AT_ONCE);
             PorterFixture p = PorterFixture.start(1, new String[] {slow.address(), b.address(), c.address()},
                     "next-upstream-timeout = 30s", "", NO_HEALTH)) {
            assertThat(get(p).status).isEqualTo(502);
            assertThat(List.of(slow.requests().size(), b.requests().size(), c.requests().size())).containsExactly(1, 1, 1);
        }
    }
}

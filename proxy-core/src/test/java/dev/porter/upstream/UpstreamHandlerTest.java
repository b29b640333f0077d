package dev.porter.upstream;

import dev.porter.close.ClosedBy;
import dev.porter.close.CloseReason;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.http.MessageHead;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.porter.upstream.LocalUpstream.awaitClosed;
import static org.awaitility.Awaitility.await;

/**
 * How {@link UpstreamHandler} ends a connection (the group's close-initiator, waiting for an
 * announced FIN, stray bytes on an idle connection) and its timers (read timeout, the
 * upstream's Keep-Alive hint), on {@link LocalUpstream}'s local channels.
 */
class UpstreamHandlerTest {
    private LocalUpstream upstream;

    @AfterEach
    void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }

    private KeepalivePool pool(String extra) throws InterruptedException {
        upstream = new LocalUpstream();
        return upstream.pool(extra);
    }

    private PoolSnapshot snapshot(KeepalivePool pool) throws Exception {
        return upstream.onLoop(() -> pool.snapshot("app"));
    }


    /** Nothing closes the connection for a while (a negative can only be watched for a time). */
    private static void stillOpenFor(UpstreamHandler h, Duration d) {
        await().during(d).atMost(d.plusSeconds(5)).until(() -> h.channel().isActive());
    }

    /** Ends the exchange with {@code reason} and says, in the same loop turn, whether the connection is still open. */
    private boolean unbindAndStillOpen(UpstreamHandler h, CloseReason reason) throws Exception {
        return upstream.onLoop(() -> {
            h.unbind(reason);
            return h.channel().isActive();
        });
    }

    @Test
    void closeInitiatorProxyClosesARetiredConnectionAtOnce() throws Exception {
        KeepalivePool pool = pool("close-initiator = proxy");
        UpstreamHandler h = upstream.acquire(pool, false);

        assertThat(unbindAndStillOpen(h, CloseReason.KEEPALIVE_REQUESTS)).isFalse();

        awaitClosed(h);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closedBy().get(ClosedBy.PROXY) == 1);
        assertThat(snapshot(pool).closedReason()).containsEntry(CloseReason.KEEPALIVE_REQUESTS, 1L);
    }

    @Test
    void closeInitiatorUpstreamLeavesARetiredConnectionForTheUpstreamToClose() throws Exception {
        KeepalivePool pool = pool("close-initiator = upstream\n keepalive-timeout = 60s");
        UpstreamHandler h = upstream.acquire(pool, false);

        assertThat(unbindAndStillOpen(h, CloseReason.KEEPALIVE_REQUESTS)).as("Porter sent no FIN").isTrue();
        PoolSnapshot waiting = snapshot(pool);
        assertThat(waiting.idle()).as("out of the pool while it waits").isZero();
        assertThat(waiting.active()).as("no request in flight on it").isZero();
        assertThat(waiting.closing()).isEqualTo(1);
        stillOpenFor(h, Duration.ofMillis(300));
        upstream.accepted().get(0).close().sync();

        awaitClosed(h);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closedBy().get(ClosedBy.UPSTREAM) == 1);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.closing()).isZero();
        assertThat(s.closedBy()).containsEntry(ClosedBy.PROXY, 0L);
        assertThat(s.closedReason()).containsEntry(CloseReason.KEEPALIVE_REQUESTS, 1L);
    }

    @Test
    void closeInitiatorUpstreamClosesItselfWhenTheUpstreamKeepsTheConnectionAnotherKeepaliveTimeout() throws Exception {
        KeepalivePool pool = pool("close-initiator = upstream\n keepalive-timeout = 200ms\n keepalive = 1");
        UpstreamHandler a = upstream.acquire(pool, false);
        UpstreamHandler b = upstream.acquire(pool, false);
        upstream.onLoop(() -> a.unbind(null));

        // b makes one idle connection too many, but Porter must not send the first FIN: b stays,
        // marked to carry Connection: close on its next request, and nothing closes now.
        assertThat(upstream.onLoop(() -> {
            b.unbind(null);
            return a.channel().isActive() && b.channel().isActive();
        })).isTrue();
        assertThat(snapshot(pool).surplus()).as("one connection let go for the pool's size").isEqualTo(1);

        // No request comes; both time out idle and leave the pool for the upstream to close. It
        // never does, so Porter closes each after another keepalive-timeout.
        awaitClosed(a);
        awaitClosed(b);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
                .until(() -> snapshot(pool).closedBy().get(ClosedBy.PROXY) == 2);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.closedBy()).containsEntry(ClosedBy.UPSTREAM, 0L);
        assertThat(s.closedReason()).containsEntry(CloseReason.IDLE_TIMEOUT, 2L);
    }

    @Test
    void closeInitiatorUpstreamStillClosesAFailedConnectionAtOnce() throws Exception {
        KeepalivePool pool = pool("close-initiator = upstream\n keepalive-timeout = 60s");
        UpstreamHandler h = upstream.acquire(pool, false);

        assertThat(unbindAndStillOpen(h, CloseReason.ERROR)).isFalse();
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
                .until(() -> snapshot(pool).closedBy().get(ClosedBy.PROXY) == 1);
    }

    @Test
    void anUpstreamThatAnnouncedItsCloseIsLeftToSendTheFirstFin() throws Exception {
        KeepalivePool pool = pool("close-initiator = proxy");
        UpstreamHandler h = upstream.acquire(pool, false);

        assertThat(unbindAndStillOpen(h, CloseReason.UPSTREAM_CLOSE)).isTrue();
        stillOpenFor(h, Duration.ofMillis(300));
        upstream.accepted().get(0).close().sync();

        awaitClosed(h);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closedBy().get(ClosedBy.UPSTREAM) == 1);
        assertThat(snapshot(pool).closedReason()).containsEntry(CloseReason.UPSTREAM_CLOSE, 1L);
    }

    @Test
    void anUpstreamThatAnnouncedItsCloseButNeverClosesIsClosedByPorter() throws Exception {
        KeepalivePool pool = pool("close-initiator = proxy");
        UpstreamHandler h = upstream.acquire(pool, false);

        assertThat(unbindAndStillOpen(h, CloseReason.UPSTREAM_CLOSE)).isTrue();

        awaitClosed(h);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closedBy().get(ClosedBy.PROXY) == 1);
    }

    @Test
    void bytesOnAnIdleConnectionCloseIt() throws Exception {
        KeepalivePool pool = pool("keepalive-timeout = 60s");
        UpstreamHandler h = upstream.acquire(pool, false);
        upstream.onLoop(() -> h.unbind(null));

        upstream.send(0, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        awaitClosed(h);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closedReason().get(CloseReason.ERROR) == 1);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.idle()).isZero();
        assertThat(s.closedBy()).containsEntry(ClosedBy.PROXY, 1L);
        assertThat(upstream.acquire(pool, false)).isNotSameAs(h);
    }

    @Test
    void keepAliveTimeoutZeroFromTheUpstreamLimitsIdleReuseToAMoment() throws Exception {
        KeepalivePool pool = pool("keepalive-timeout = 60s");
        UpstreamHandler h = upstream.acquire(pool, false);
        upstream.onLoop(() -> {
            h.upstreamIdleTimeout(0);
            h.unbind(null);
        });

        awaitClosed(h);
        assertThat(snapshot(pool).closedReason()).containsEntry(CloseReason.IDLE_TIMEOUT, 1L);
    }

    @Test
    void aKeepAliveHintFromTheUpstreamClosesTheIdleConnectionBeforeTheUpstreamWould() throws Exception {
        KeepalivePool pool = pool("keepalive-timeout = 60s");
        UpstreamHandler h = upstream.acquire(pool, false);
        upstream.onLoop(() -> {
            h.upstreamIdleTimeout(1);
            h.unbind(null);
        });

        awaitClosed(h);
        assertThat(snapshot(pool).closedReason()).containsEntry(CloseReason.IDLE_TIMEOUT, 1L);
        assertThat(snapshot(pool).closedBy()).containsEntry(ClosedBy.PROXY, 1L);
    }

    @Test
    void noResponseByteWithinReadTimeoutTellsTheExchange() throws Exception {
        KeepalivePool pool = pool("");
        UpstreamHandler h = upstream.acquire(pool, false);
        Recorder receiver = new Recorder();

        assertThat(upstream.onLoop(() -> h.bind(receiver, Duration.ofMillis(100), false))).as("reused").isFalse();

        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> receiver.events.contains("read-timeout"));
        assertThat(h.channel().isActive()).as("the exchange decides what to do").isTrue();
    }

    @Test
    void theUpstreamClosingDuringAnExchangeTellsTheExchangeAndCountsAsAnError() throws Exception {
        KeepalivePool pool = pool("");
        UpstreamHandler h = upstream.acquire(pool, false);
        Recorder receiver = new Recorder();
        upstream.onLoop(() -> h.bind(receiver, Duration.ofSeconds(60), false));

        upstream.accepted().get(0).close().sync();

        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> receiver.events.contains("closed"));
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closedReason().get(CloseReason.ERROR) == 1);
        assertThat(snapshot(pool).closedBy()).containsEntry(ClosedBy.UPSTREAM, 1L);
    }

    @Test
    void aConnectionIsReusedOnlyAfterItsFirstRequestAndRetiresAtKeepaliveRequests() throws Exception {
        KeepalivePool pool = pool("keepalive-requests = 2");
        UpstreamHandler h = upstream.acquire(pool, false);
        Recorder receiver = new Recorder();

        boolean[] seen = upstream.onLoop(() -> {
            boolean firstReused = h.bind(receiver, Duration.ofSeconds(60), false);
            boolean firstLast = h.lifetimeOver() != null;
            h.unbind(null);
            pool.acquire(false);
            boolean secondReused = h.bind(receiver, Duration.ofSeconds(60), false);
            boolean secondLast = h.lifetimeOver() != null;
            return new boolean[] {firstReused, firstLast, secondReused, secondLast};
        });

        assertThat(seen).containsExactly(false, false, true, true);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.requests()).isEqualTo(2);
        assertThat(s.reusedRequests()).isEqualTo(1);
    }

    @Test
    void abortClosesAtOnceWithTheGivenReason() throws Exception {
        KeepalivePool pool = pool("close-initiator = upstream");
        UpstreamHandler h = upstream.acquire(pool, false);

        upstream.onLoop(() -> h.abort(CloseReason.TIMEOUT));

        awaitClosed(h);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closedReason().get(CloseReason.TIMEOUT) == 1);
        assertThat(snapshot(pool).closedBy()).containsEntry(ClosedBy.PROXY, 1L);
    }

    @Test
    void anIdleTimeoutShorterThanThePendingReadTimeoutStillClosesOnTime() throws Exception {
        KeepalivePool pool = pool("keepalive-timeout = 100ms");
        UpstreamHandler h = upstream.acquire(pool, false);
        Recorder receiver = new Recorder();

        // The connection's one timer is set for the 60 s read timeout; going idle must bring it forward.
        upstream.onLoop(() -> {
            h.bind(receiver, Duration.ofSeconds(60), false);
            h.unbind(null);
        });

        awaitClosed(h);
        assertThat(snapshot(pool).closedReason()).containsEntry(CloseReason.IDLE_TIMEOUT, 1L);
        assertThat(receiver.events).doesNotContain("read-timeout");
    }

    @Test
    void aTimerSetForAnEarlierDeadlineDoesNotActOnALaterOne() throws Exception {
        KeepalivePool pool = pool("keepalive-timeout = 60s");
        UpstreamHandler h = upstream.acquire(pool, false);
        Recorder receiver = new Recorder();

        // The timer is set for a 100 ms read timeout; the connection then goes idle for 60 s, and
        // the timer that fires at 100 ms must only move itself on.
        upstream.onLoop(() -> {
            h.bind(receiver, Duration.ofMillis(100), false);
            h.unbind(null);
        });

        stillOpenFor(h, Duration.ofMillis(500));
        assertThat(receiver.events).isEmpty();
        assertThat(snapshot(pool).idle()).isEqualTo(1);
    }

    @Test
    void aReadTimeoutDoesNotFireBeforeItsTime() throws Exception {
        KeepalivePool pool = pool("");
        UpstreamHandler h = upstream.acquire(pool, false);
        Recorder receiver = new Recorder();

        upstream.onLoop(() -> h.bind(receiver, Duration.ofSeconds(60), false));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> receiver.events.isEmpty());
    }

    @Test
    void givingTheConnectionBackResumesReadingWhateverTheExchangeLeftIt() throws Exception {
        KeepalivePool pool = pool("");
        UpstreamHandler paused = upstream.acquire(pool, false);
        UpstreamHandler reading = upstream.acquire(pool, false);

        boolean[] autoRead = upstream.onLoop(() -> {
            // An exchange whose client could not keep up paused the upstream connection.
            paused.channel().config().setAutoRead(false);
            paused.unbind(null);
            reading.unbind(null);
            return new boolean[] {paused.channel().config().isAutoRead(), reading.channel().config().isAutoRead()};
        });

        assertThat(autoRead).containsExactly(true, true);
    }

    /** Records what the connection tells the exchange it serves. */
    private static final class Recorder implements ResponseReceiver {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onResponseHead(MessageHead head) {
            events.add("response");
        }

        @Override
        public void onResponseBody(ByteBuf part, boolean last) {
            part.release();
            events.add("body");
        }

        @Override
        public void onResponseInvalid(String reason) {
            events.add("invalid");
        }

        @Override
        public void onResponseReadComplete() {
        }

        @Override
        public void onUpstreamWritabilityChanged(boolean writable) {
            events.add("writable " + writable);
        }

        @Override
        public void onUpstreamClosed() {
            events.add("closed");
        }

        @Override
        public void onUpstreamError(Throwable cause) {
            events.add("error");
        }

        @Override
        public void onUpstreamReadTimeout() {
            events.add("read-timeout");
        }

        @Override
        public void onUpstreamSendTimeout() {
            events.add("send-timeout");
        }
    }
}

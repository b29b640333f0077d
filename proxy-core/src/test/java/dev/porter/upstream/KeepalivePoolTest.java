package dev.porter.upstream;

import dev.porter.close.ClosedBy;
import dev.porter.close.CloseReason;
import dev.porter.metrics.PoolSnapshot;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static dev.porter.upstream.LocalUpstream.awaitClosed;
import static org.awaitility.Awaitility.await;

/**
 * {@link KeepalivePool} on {@link LocalUpstream}'s local channels: nginx's idle cache (most
 * recently used first, the least recently used closed past {@code keepalive}), what never
 * enters it, the idle and lifetime limits, and {@code max-connections} with its wait queue.
 */
class KeepalivePoolTest {
    private LocalUpstream upstream;

    @AfterEach
    void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }

    private KeepalivePool pool(String extra) throws InterruptedException {
        return pool(extra, 28232);
    }

    private KeepalivePool pool(String extra, int portRange) throws InterruptedException {
        upstream = new LocalUpstream();
        return upstream.pool(extra, portRange);
    }

    private PoolSnapshot snapshot(KeepalivePool pool) throws Exception {
        return upstream.onLoop(() -> pool.snapshot("app"));
    }

    private void release(UpstreamHandler h) throws Exception {
        upstream.onLoop(() -> h.unbind(null));
    }


    @Test
    void idleConnectionsAreReusedMostRecentlyUsedFirst() throws Exception {
        KeepalivePool pool = pool("keepalive = 4");
        UpstreamHandler a = upstream.acquire(pool, false);
        UpstreamHandler b = upstream.acquire(pool, false);
        release(a);
        release(b);

        assertThat(snapshot(pool).idle()).isEqualTo(2);
        assertThat(upstream.acquire(pool, false)).isSameAs(b);
        assertThat(upstream.acquire(pool, false)).isSameAs(a);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.opened()).isEqualTo(2);
        assertThat(s.idle()).isZero();
        assertThat(s.active()).isEqualTo(2);
        assertThat(s.peakActive()).isEqualTo(2);
    }

    @Test
    void pastKeepaliveTheLeastRecentlyUsedIdleConnectionIsClosed() throws Exception {
        KeepalivePool pool = pool("keepalive = 2");
        UpstreamHandler a = upstream.acquire(pool, false);
        UpstreamHandler b = upstream.acquire(pool, false);
        UpstreamHandler c = upstream.acquire(pool, false);
        release(a);
        release(b);
        release(c);

        awaitClosed(a);
        assertThat(b.channel().isActive()).isTrue();
        assertThat(c.channel().isActive()).isTrue();
        PoolSnapshot s = snapshot(pool);
        assertThat(s.idle()).isEqualTo(2);
        assertThat(s.active()).isZero();
        assertThat(s.closedReason()).containsEntry(CloseReason.POOL_FULL, 1L);
        assertThat(s.surplus()).isEqualTo(1);
        assertThat(s.closedBy()).containsEntry(ClosedBy.PROXY, 1L);
        assertThat(upstream.acquire(pool, false)).isSameAs(c);
    }

    @Test
    void keepaliveZeroKeepsNoIdleConnection() throws Exception {
        KeepalivePool pool = pool("keepalive = 0");
        UpstreamHandler a = upstream.acquire(pool, false);
        release(a);

        awaitClosed(a);
        assertThat(snapshot(pool).idle()).isZero();
        UpstreamHandler b = upstream.acquire(pool, false);
        assertThat(b).isNotSameAs(a);
        assertThat(snapshot(pool).opened()).isEqualTo(2);
    }

    @Test
    void aConnectionThatClosedBeforeItIsReleasedNeverEntersTheIdleDeque() throws Exception {
        KeepalivePool pool = pool("keepalive = 4");
        UpstreamHandler a = upstream.acquire(pool, false);
        // The upstream closes while the exchange still holds the connection, and Porter has
        // already seen the close (channelInactive ran) when the exchange gives it back.
        upstream.accepted().get(0).close().sync();
        awaitClosed(a);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closedBy().get(ClosedBy.UPSTREAM) == 1);
        release(a);

        PoolSnapshot s = snapshot(pool);
        assertThat(s.idle()).as("a dead connection counted as idle").isZero();
        assertThat(s.active()).isZero();
        UpstreamHandler b = upstream.acquire(pool, false);
        assertThat(b).isNotSameAs(a);
        assertThat(b.channel().isActive()).isTrue();
    }

    @Test
    void anIdleConnectionClosedByTheUpstreamLeavesThePool() throws Exception {
        KeepalivePool pool = pool("keepalive = 4");
        UpstreamHandler a = upstream.acquire(pool, false);
        release(a);
        assertThat(snapshot(pool).idle()).isEqualTo(1);

        upstream.accepted().get(0).close().sync();

        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).idle() == 0);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.closedBy()).containsEntry(ClosedBy.UPSTREAM, 1L);
        assertThat(s.closedReason()).containsEntry(CloseReason.UPSTREAM_CLOSE, 1L);
        assertThat(upstream.acquire(pool, false)).isNotSameAs(a);
    }

    @Test
    void anIdleConnectionIsClosedAfterKeepaliveTimeout() throws Exception {
        KeepalivePool pool = pool("keepalive-timeout = 100ms");
        UpstreamHandler a = upstream.acquire(pool, false);
        release(a);

        awaitClosed(a);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.idle()).isZero();
        assertThat(s.closedReason()).containsEntry(CloseReason.IDLE_TIMEOUT, 1L);
        assertThat(s.closedBy()).containsEntry(ClosedBy.PROXY, 1L);
    }

    @Test
    void aConnectionInUseIsNotClosedByKeepaliveTimeout() throws Exception {
        KeepalivePool pool = pool("keepalive-timeout = 100ms");
        UpstreamHandler a = upstream.acquire(pool, false);
        release(a);
        assertThat(upstream.acquire(pool, false)).isSameAs(a);
        // Held past keepalive-timeout: the idle timer armed at release must not fire now.
        UpstreamHandler other = upstream.acquire(pool, false);
        release(other);
        awaitClosed(other);

        assertThat(a.channel().isActive()).isTrue();
        assertThat(snapshot(pool).closedReason()).containsEntry(CloseReason.IDLE_TIMEOUT, 1L);
    }

    @Test
    void aConnectionOlderThanKeepaliveTimeIsNotHandedOutAgain() throws Exception {
        KeepalivePool pool = pool("keepalive-time = 100ms\n keepalive-timeout = 60s");
        UpstreamHandler a = upstream.acquire(pool, false);
        release(a);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> upstream.onLoop(() -> a.lifetimeOver() == CloseReason.KEEPALIVE_TIME));

        UpstreamHandler b = upstream.acquire(pool, false);

        assertThat(b).isNotSameAs(a);
        awaitClosed(a);
        assertThat(snapshot(pool).closedReason()).containsEntry(CloseReason.KEEPALIVE_TIME, 1L);
    }

    @Test
    void aFreshAcquireSkipsIdleConnections() throws Exception {
        KeepalivePool pool = pool("keepalive = 4");
        UpstreamHandler a = upstream.acquire(pool, false);
        release(a);

        UpstreamHandler b = upstream.acquire(pool, true);

        assertThat(b).isNotSameAs(a);
        assertThat(snapshot(pool).idle()).isEqualTo(1);
        assertThat(upstream.acquire(pool, false)).isSameAs(a);
    }

    @Test
    void atMaxConnectionsARequestWaitsAndGetsTheNextReleasedConnection() throws Exception {
        KeepalivePool pool = pool("max-connections = 1\n queue = 1\n queue-timeout = 10s");
        UpstreamHandler a = upstream.acquire(pool, false);
        Future<UpstreamHandler> waiting = upstream.onLoop(() -> pool.acquire(false));
        assertThat(waiting.isDone()).isFalse();

        Future<UpstreamHandler> overQueue = upstream.onLoop(() -> pool.acquire(false));
        assertThat(overQueue.isDone()).isTrue();
        assertThat(overQueue.cause()).isInstanceOf(PoolExhaustedException.class);

        release(a);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isSameAs(a);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.opened()).isEqualTo(1);
        assertThat(s.idle()).isZero();
        assertThat(s.active()).isEqualTo(1);
    }

    @Test
    void aWaiterGetsANewConnectionWhenAnOpenOneCloses() throws Exception {
        KeepalivePool pool = pool("max-connections = 1\n queue = 4\n queue-timeout = 10s");
        UpstreamHandler a = upstream.acquire(pool, false);
        Future<UpstreamHandler> waiting = upstream.onLoop(() -> pool.acquire(false));

        upstream.onLoop(() -> a.unbind(CloseReason.ERROR));

        UpstreamHandler b = waiting.get(5, TimeUnit.SECONDS);
        assertThat(b).isNotSameAs(a);
        assertThat(b.channel().isActive()).isTrue();
        assertThat(snapshot(pool).opened()).isEqualTo(2);
    }

    @Test
    void aWaiterGivesUpAfterQueueTimeout() throws Exception {
        KeepalivePool pool = pool("max-connections = 1\n queue = 4\n queue-timeout = 100ms");
        UpstreamHandler a = upstream.acquire(pool, false);
        Future<UpstreamHandler> waiting = upstream.onLoop(() -> pool.acquire(false));

        Throwable failure = catchThrowable(() -> waiting.get(5, TimeUnit.SECONDS));

        assertThat(failure).hasCauseInstanceOf(PoolExhaustedException.class);
        // The queue is empty again: the released connection goes idle instead of to a ghost waiter.
        release(a);
        assertThat(snapshot(pool).idle()).isEqualTo(1);
    }

    @Test
    void withoutQueueARequestOverMaxConnectionsFailsAtOnce() throws Exception {
        KeepalivePool pool = pool("max-connections = 1\n queue = 0");
        upstream.acquire(pool, false);

        Future<UpstreamHandler> refused = upstream.onLoop(() -> pool.acquire(false));

        assertThat(refused.isDone()).isTrue();
        assertThat(refused.cause()).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("max-connections 1");
    }

    @Test
    void atMaxConnectionsAFreshAcquireClosesTheLeastRecentlyUsedIdleConnectionToMakeRoom() throws Exception {
        KeepalivePool pool = pool("max-connections = 2\n queue = 0");
        UpstreamHandler a = upstream.acquire(pool, false);
        UpstreamHandler b = upstream.acquire(pool, false);
        release(a);
        release(b);

        UpstreamHandler c = upstream.acquire(pool, true);

        assertThat(c).isNotSameAs(a).isNotSameAs(b);
        awaitClosed(a);
        assertThat(b.channel().isActive()).isTrue();
        PoolSnapshot s = snapshot(pool);
        assertThat(s.closedReason()).containsEntry(CloseReason.POOL_FULL, 1L);
        assertThat(s.idle()).isEqualTo(1);
        assertThat(s.active()).isEqualTo(1);
    }

    @Test
    void aFailedConnectFailsTheAcquireWithItsErrnoAndFreesItsSlot() throws Exception {
        upstream = new LocalUpstream(false);
        KeepalivePool pool = upstream.pool("max-connections = 1\n queue = 0");

        Throwable first = catchThrowable(() -> upstream.acquire(pool, false));
        Throwable second = catchThrowable(() -> upstream.acquire(pool, false));

        assertThat(first).hasCauseInstanceOf(UpstreamConnectException.class);
        assertThat(((UpstreamConnectException) first.getCause()).errno()).isEqualTo("ECONNREFUSED");
        assertThat(second).as("the slot of the failed connect is free again").hasCauseInstanceOf(UpstreamConnectException.class);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.connectErrors()).containsEntry("ECONNREFUSED", 2L);
        assertThat(s.opened()).isZero();
        assertThat(s.active()).isZero();
    }

    @Test
    void aConnectionNobodyWaitsForAnyMoreIsClosedOnceConnected() throws Exception {
        KeepalivePool pool = pool("keepalive = 4");
        Future<UpstreamHandler> abandoned = upstream.onLoop(() -> {
            Future<UpstreamHandler> f = pool.acquire(false);
            f.cancel(false);
            return f;
        });
        assertThat(abandoned.isCancelled()).isTrue();

        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closedReason().get(CloseReason.CLIENT_ABORT) == 1);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.opened()).isEqualTo(1);
        assertThat(s.idle()).isZero();
        assertThat(s.active()).isZero();
    }

    @Test
    void closeEndsIdleConnectionsAndRefusesNewAcquiresAndABusyOneEndsWhenReleased() throws Exception {
        KeepalivePool pool = pool("keepalive = 4");
        UpstreamHandler idle = upstream.acquire(pool, false);
        UpstreamHandler busy = upstream.acquire(pool, false);
        release(idle);

        upstream.onLoop(pool::close);

        awaitClosed(idle);
        assertThat(upstream.onLoop(() -> pool.acquire(false)).cause()).isInstanceOf(IllegalStateException.class);
        assertThat(busy.channel().isActive()).isTrue();
        release(busy);
        awaitClosed(busy);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.closedReason()).containsEntry(CloseReason.SHUTDOWN, 2L);
        assertThat(s.idle()).isZero();
    }

    @Test
    void closeFailsTheRequestsWaitingForAConnection() throws Exception {
        KeepalivePool pool = pool("max-connections = 1\n queue = 4\n queue-timeout = 10s");
        upstream.acquire(pool, false);
        Future<UpstreamHandler> waiting = upstream.onLoop(() -> pool.acquire(false));

        upstream.onLoop(pool::close);

        assertThat(catchThrowable(() -> waiting.get(5, TimeUnit.SECONDS))).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void thePeakCountsConnectionsInUseWhetherNewOrReused() throws Exception {
        KeepalivePool fresh = pool("keepalive = 4");
        upstream.acquire(fresh, false);
        upstream.acquire(fresh, false);
        assertThat(snapshot(fresh).peakActive()).as("two new connections in use").isEqualTo(2);
        upstream.close();

        KeepalivePool reused = pool("keepalive = 4");
        UpstreamHandler a = upstream.acquire(reused, false);
        release(a);
        UpstreamHandler b = upstream.acquire(reused, true);
        release(b);
        assertThat(snapshot(reused).peakActive()).as("never more than one in use so far").isEqualTo(1);
        upstream.acquire(reused, false);
        upstream.acquire(reused, false);
        assertThat(snapshot(reused).peakActive()).as("two idle connections taken at once").isEqualTo(2);
    }

    @Test
    void aRetiredConnectionWaitingForItsCloseIsNeitherIdleNorInFlight() throws Exception {
        KeepalivePool pool = pool("keepalive = 4\n keepalive-timeout = 60s");
        UpstreamHandler a = upstream.acquire(pool, false);
        // The upstream announced its close: Porter waits for its FIN with the connection open.
        upstream.onLoop(() -> a.unbind(CloseReason.UPSTREAM_CLOSE));
        upstream.acquire(pool, false);
        upstream.acquire(pool, false);

        assertThat(a.channel().isActive()).isTrue();
        PoolSnapshot s = snapshot(pool);
        assertThat(s.active()).as("requests in flight").isEqualTo(2);
        assertThat(s.peakActive()).as("the closing connection is no request in flight").isEqualTo(2);
        assertThat(s.closing()).isEqualTo(1);
        assertThat(s.idle()).isZero();
        assertThat(s.surplus()).as("nothing let go for the pool's size").isZero();

        upstream.accepted().get(0).close().sync();
        awaitClosed(a);
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(pool).closing() == 0);
        assertThat(snapshot(pool).active()).isEqualTo(2);
    }

    @Test
    void closesDecidedInOneLoopTurnEngageThePortBudgetGuardBeforeTheyComplete() throws Exception {
        // 10 ports toward the server, the guard at 5: four open connections and Porter's first
        // close reach it. The four are released in one loop turn, as the responses of one read
        // batch are, so none of the closes has completed (channelInactive) when the next is decided.
        KeepalivePool pool = pool("keepalive = 0\n port-budget-guard = 50%", 10);
        List<UpstreamHandler> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(upstream.acquire(pool, false));
        }
        upstream.onLoop(() -> held.forEach(h -> h.unbind(null)));

        assertThat(pool.shared().portGuard().engaged()).isTrue();
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
                .until(() -> snapshot(pool).closedBy().getOrDefault(ClosedBy.PROXY, 0L) == 1);
        assertThat(held.stream().filter(h -> h.channel().isActive()))
                .as("past the guard, the upstream is left to close first: three wait for a last request")
                .hasSize(3);
        PoolSnapshot s = snapshot(pool);
        assertThat(s.closedBy()).containsEntry(ClosedBy.PROXY, 1L);
        assertThat(s.idle()).isEqualTo(3);
    }

    @Test
    void aFailedConnectHandsItsSlotToTheNextWaiter() throws Exception {
        upstream = new LocalUpstream(false);
        KeepalivePool pool = upstream.pool("max-connections = 1\n queue = 4\n queue-timeout = 30s");
        @SuppressWarnings("unchecked")
        Future<UpstreamHandler>[] both = upstream.onLoop(() -> new Future[] {pool.acquire(false), pool.acquire(false)});

        Throwable first = catchThrowable(() -> both[0].get(5, TimeUnit.SECONDS));
        Throwable second = catchThrowable(() -> both[1].get(5, TimeUnit.SECONDS));

        assertThat(first).hasCauseInstanceOf(UpstreamConnectException.class);
        assertThat(second).as("the waiter got to connect when the first connect failed")
                .hasCauseInstanceOf(UpstreamConnectException.class);
    }

    @Test
    void aWaiterThatTimedOutLeavesTheQueueToTheNextOne() throws Exception {
        KeepalivePool pool = pool("max-connections = 1\n queue = 1\n queue-timeout = 100ms");
        upstream.acquire(pool, false);
        Future<UpstreamHandler> timedOut = upstream.onLoop(() -> pool.acquire(false));
        assertThat(catchThrowable(() -> timedOut.get(5, TimeUnit.SECONDS))).hasCauseInstanceOf(PoolExhaustedException.class);

        Future<UpstreamHandler> next = upstream.onLoop(() -> pool.acquire(false));

        assertThat(next.isDone()).as("queued, not refused as if the queue were full").isFalse();
        assertThat(catchThrowable(() -> next.get(5, TimeUnit.SECONDS))).hasCauseInstanceOf(PoolExhaustedException.class);
    }
}

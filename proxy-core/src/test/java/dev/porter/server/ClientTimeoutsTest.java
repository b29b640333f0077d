package dev.porter.server;

import dev.porter.config.ListenerConfig;
import dev.porter.timer.DeadlineQueue;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClientTimeouts} on an {@code EmbeddedChannel}'s virtual time, with its queues as a
 * worker would have them; reads are reported as the connection handler does.
 */
class ClientTimeoutsTest {
    private final List<ClientTimeout> events = new ArrayList<>();
    private ClientTimeouts.Queues queues;
    private ClientTimeouts timeouts;

    private EmbeddedChannel channel() {
        return channel(ListenerConfig.builder(new InetSocketAddress("127.0.0.1", 0))
                .clientHeaderTimeout(Duration.ofMillis(300))
                .clientBodyTimeout(Duration.ofMillis(200))
                .build());
    }

    private EmbeddedChannel channel(ListenerConfig listener) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        queues = new ClientTimeouts.Queues(new DeadlineQueue(ch.eventLoop(), listener.keepaliveTimeout().toNanos()),
                new DeadlineQueue(ch.eventLoop(), listener.clientHeaderTimeout().toNanos()),
                new DeadlineQueue(ch.eventLoop(), listener.clientBodyTimeout().toNanos()), listener.sendTimeout().toNanos());
        timeouts = new ClientTimeouts(queues, events::add);
        return ch;
    }

    private static void advance(EmbeddedChannel ch, long ms) {
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aHeaderStartedWhileTheKeepaliveCheckIsPendingTimesOutAfterClientHeaderTimeout() {
        EmbeddedChannel ch = channel();
        timeouts.awaitRequest();
        advance(ch, 1000);
        timeouts.read();
        advance(ch, 299);
        assertThat(events).isEmpty();
        advance(ch, 1);
        assertThat(events).containsExactly(ClientTimeout.HEADER);
        ch.finishAndReleaseAll();
    }

    @Test
    void laterHeaderBytesDoNotExtendClientHeaderTimeout() {
        EmbeddedChannel ch = channel();
        timeouts.awaitRequest();
        for (int i = 0; i < 3; i++) {
            timeouts.read();
            advance(ch, 100);
        }
        assertThat(events).containsExactly(ClientTimeout.HEADER);
        ch.finishAndReleaseAll();
    }

    @Test
    void aBodyPauseLongerThanClientBodyTimeoutFiresBody() {
        EmbeddedChannel ch = channel();
        timeouts.awaitRequest();
        timeouts.read();
        timeouts.requestHead(true);
        advance(ch, 150);
        timeouts.read();
        advance(ch, 150);
        assertThat(events).isEmpty();
        advance(ch, 50);
        assertThat(events).containsExactly(ClientTimeout.BODY);
        ch.finishAndReleaseAll();
    }

    @Test
    void anIdleConnectionClosesAfterKeepaliveTimeoutAndNotBefore() {
        EmbeddedChannel ch = channel();
        timeouts.awaitRequest();
        advance(ch, 75_000 - 1);
        assertThat(events).isEmpty();
        advance(ch, 1);
        assertThat(events).containsExactly(ClientTimeout.KEEPALIVE);
        ch.finishAndReleaseAll();
    }

    @Test
    void noRequestWithinKeepaliveTimeoutFiresKeepalive() {
        EmbeddedChannel ch = channel(ListenerConfig.builder(new InetSocketAddress("127.0.0.1", 0))
                .keepaliveTimeout(Duration.ofMillis(500))
                .build());
        timeouts.awaitRequest();
        advance(ch, 499);
        assertThat(events).isEmpty();
        advance(ch, 1);
        assertThat(events).containsExactly(ClientTimeout.KEEPALIVE);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void connectionsShareTheQueueAndEachExpiresAtItsOwnTime() {
        EmbeddedChannel ch = channel();
        List<ClientTimeout> other = new ArrayList<>();
        ClientTimeouts second = new ClientTimeouts(queues, other::add);
        timeouts.awaitRequest();
        advance(ch, 100);
        timeouts.read();
        second.awaitRequest();
        second.read();
        advance(ch, 200);
        // The first one's request moved on: its header timeout is gone, the second's is not.
        timeouts.requestHead(false);
        advance(ch, 100);
        assertThat(events).isEmpty();
        assertThat(other).containsExactly(ClientTimeout.HEADER);
        advance(ch, 120_000);
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aFlushThatLeavesBytesWaitingStartsSendTimeoutWhichClosesTheConnection() {
        EmbeddedChannel ch = channel(ListenerConfig.builder(new InetSocketAddress("127.0.0.1", 0))
                .sendTimeout(Duration.ofMillis(400))
                .build());
        // Written but not flushed: it stays in the outbound buffer, as if the client read nothing.
        ch.write(Unpooled.wrappedBuffer(new byte[100]));
        timeouts.flushed(ch);
        advance(ch, 300);
        assertThat(ch.isActive()).isTrue();
        advance(ch, 100);
        assertThat(ch.isActive()).isFalse();
        assertThat(events).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void stopEndsSendTimeoutAndTheRequestTimeoutsAlike() {
        EmbeddedChannel ch = channel(ListenerConfig.builder(new InetSocketAddress("127.0.0.1", 0))
                .sendTimeout(Duration.ofMillis(400))
                .build());
        timeouts.awaitRequest();
        ch.write(Unpooled.wrappedBuffer(new byte[100]));
        timeouts.flushed(ch);
        timeouts.stop();
        advance(ch, 120_000);
        assertThat(ch.isActive()).isTrue();
        assertThat(events).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aCompleteRequestIgnoresLaterReads() {
        EmbeddedChannel ch = channel();
        timeouts.awaitRequest();
        timeouts.read();
        timeouts.requestHead(false);
        timeouts.read();
        advance(ch, 120_000);
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aCompleteRequestStopsTheClockUntilTheNextWaitForARequest() {
        EmbeddedChannel ch = channel();
        timeouts.awaitRequest();
        timeouts.read();
        timeouts.requestHead(false);
        advance(ch, 120_000);
        assertThat(events).isEmpty();
        timeouts.awaitRequest();
        advance(ch, 75_000);
        assertThat(events).containsExactly(ClientTimeout.KEEPALIVE);
        ch.finishAndReleaseAll();
    }
}

package dev.porter.server;

import dev.porter.config.ListenerConfig;
import dev.porter.config.RealIpConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTimeoutHandlerTest {
    private final List<Object> events = new ArrayList<>();
    private final ClientTimeoutHandler timeouts = new ClientTimeoutHandler(
            ListenerConfig.builder(new InetSocketAddress("127.0.0.1", 0))
                    .clientHeaderTimeout(Duration.ofMillis(300))
                    .clientBodyTimeout(Duration.ofMillis(200))
                    .build());

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(timeouts, new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        ch.freezeTime();
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
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G'}));
        advance(ch, 299);
        assertThat(events).isEmpty();
        advance(ch, 1);
        assertThat(events).containsExactly(ClientTimeout.HEADER);
        assertThat(ch.finishAndReleaseAll()).isTrue(); // the byte, which nobody consumed
    }

    @Test
    void laterHeaderBytesDoNotExtendClientHeaderTimeout() {
        EmbeddedChannel ch = channel();
        timeouts.awaitRequest();
        for (int i = 0; i < 3; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G'}));
            advance(ch, 100);
        }
        assertThat(events).containsExactly(ClientTimeout.HEADER);
        ch.finishAndReleaseAll();
    }

    @Test
    void aBodyPauseLongerThanClientBodyTimeoutFiresBody() {
        EmbeddedChannel ch = channel();
        timeouts.awaitRequest();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'P'}));
        timeouts.requestHead(true);
        advance(ch, 150);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
        advance(ch, 150);
        assertThat(events).isEmpty();
        advance(ch, 50);
        assertThat(events).containsExactly(ClientTimeout.BODY);
        ch.finishAndReleaseAll();
    }

    @Test
    void noRequestWithinKeepaliveTimeoutFiresKeepalive() {
        ClientTimeoutHandler keepalive = new ClientTimeoutHandler(
                ListenerConfig.builder(new InetSocketAddress("127.0.0.1", 0))
                        .keepaliveTimeout(Duration.ofMillis(500))
                        .clientHeaderTimeout(Duration.ofMillis(300))
                        .clientBodyTimeout(Duration.ofMillis(200))
                        .build());
        EmbeddedChannel ch = new EmbeddedChannel(keepalive, new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        ch.freezeTime();
        keepalive.awaitRequest();
        advance(ch, 499);
        assertThat(events).isEmpty();
        advance(ch, 1);
        assertThat(events).containsExactly(ClientTimeout.KEEPALIVE);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aCompleteRequestStopsTheClockUntilTheNextWaitForARequest() {
        EmbeddedChannel ch = channel();
        timeouts.awaitRequest();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G'}));
        timeouts.requestHead(false);
        advance(ch, 120_000);
        assertThat(events).isEmpty();
        timeouts.awaitRequest();
        advance(ch, 75_000);
        assertThat(events).containsExactly(ClientTimeout.KEEPALIVE);
        ch.finishAndReleaseAll();
    }
}

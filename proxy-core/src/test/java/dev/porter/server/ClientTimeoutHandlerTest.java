package dev.porter.server;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ListenerConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTimeoutHandlerTest {
    private static final ListenerConfig LISTENER = ConfigLoader.parse("porter { listeners = [ { address = \"127.0.0.1:0\","
            + " keepalive-timeout = 75s, client-header-timeout = 10s, client-body-timeout = 5s } ]\n"
            + "upstreams { app { servers = [ { address = \"127.0.0.1:8080\" } ] } }\n"
            + "routes = [ { upstream = app } ] }", "test.conf").listeners().get(0);

    private final List<Object> events = new ArrayList<>();
    private ClientTimeoutHandler timeouts;
    private EmbeddedChannel ch;

    @BeforeEach
    void setUp() {
        timeouts = new ClientTimeoutHandler(LISTENER);
        ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(timeouts, new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
    }

    private void advance(long seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void idleConnectionTimesOutAfterKeepaliveTimeout() {
        timeouts.awaitRequest();
        advance(74);
        assertThat(events).isEmpty();
        advance(2);
        assertThat(events).containsExactly(ClientTimeout.KEEPALIVE);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void headerTimeoutCountsFromTheFirstByteAndIsNotExtendedByMoreBytes() {
        timeouts.awaitRequest();
        advance(30);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G'}));
        advance(6);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'E'}));
        advance(5);
        assertThat(events).containsExactly(ClientTimeout.HEADER);
        assertThat(ch.finishAndReleaseAll()).isTrue();
    }

    @Test
    void bodyTimeoutIsAPauseBetweenReads() {
        timeouts.requestHead(true);
        advance(4);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
        advance(4);
        assertThat(events).isEmpty();
        advance(2);
        assertThat(events).containsExactly(ClientTimeout.BODY);
        ch.finishAndReleaseAll();
    }

    @Test
    void aCompleteRequestDisarmsTheTimer() {
        timeouts.awaitRequest();
        timeouts.requestHead(false);
        advance(500);
        assertThat(events).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}

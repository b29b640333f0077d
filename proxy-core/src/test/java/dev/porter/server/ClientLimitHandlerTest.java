package dev.porter.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.porter.metrics.ClientStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ClientLimitHandlerTest {
    private static final InetSocketAddress CLIENT_A = new InetSocketAddress("10.0.0.1", 40000);
    private static final InetSocketAddress CLIENT_B = new InetSocketAddress("10.0.0.2", 40000);

    private final ClientStats stats = new ClientStats();

    /** Records whether the rest of the pipeline saw the connection. */
    private static final class Downstream extends ChannelInboundHandlerAdapter {
        boolean active;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
        }
    }

    private static EmbeddedChannel connect(InetSocketAddress client, ChannelHandler... handlers) {
        return new EmbeddedChannel(handlers) {
            @Override
            protected SocketAddress remoteAddress0() {
                return client;
            }
        };
    }

    private ClientLimitHandler handler(ListenerLimits limits, InetSocketAddress client) {
        return handler(limits, new ClientPeer(client, null));
    }

    private ClientLimitHandler handler(ListenerLimits limits, ClientPeer peer) {
        return new ClientLimitHandler(limits, peer, stats, dev.porter.config.CloseInitiator.PROXY, 5_000_000_000L);
    }

    private static ListenerLimits limits(int max, int perIp) {
        return new ListenerLimits(max, perIp, 0, 0, System::nanoTime, Ticker.systemTicker());
    }

    @Test
    void aConnectionPastListenerMaxConnectionsGetsA503AndIsClosedUnseenByTheRestOfThePipeline() {
        ListenerLimits limits = limits(1, 0);
        Downstream first = new Downstream();
        EmbeddedChannel admitted = connect(CLIENT_A, handler(limits, CLIENT_A), first);
        assertThat(first.active).isTrue();
        assertThat(limits.openConnections()).isEqualTo(1);

        Downstream second = new Downstream();
        EmbeddedChannel refused = connect(CLIENT_B, handler(limits, CLIENT_B), second);
        assertThat(second.active).isFalse();
        ByteBuf response = refused.readOutbound();
        String text = response.toString(StandardCharsets.US_ASCII);
        response.release();
        assertThat(text).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                .contains("Connection: close\r\n", "Content-Length: 24\r\n")
                .endsWith("\r\n\r\n503 Service Unavailable\n");
        assertThat(refused.isActive()).isFalse();
        assertThat(limits.openConnections()).isEqualTo(1);
        assertThat(stats.snapshot(0).responses5xx()).isEqualTo(1);
        assertThat(refused.finishAndReleaseAll()).isFalse();

        assertThat(admitted.finishAndReleaseAll()).isFalse();
        assertThat(limits.openConnections()).isZero();
    }

    @Test
    void perIpCountsAreGivenBackWhenConnectionsClose() {
        ListenerLimits limits = limits(0, 1);
        ClientPeer peerA = new ClientPeer(CLIENT_A, null);
        EmbeddedChannel a = connect(CLIENT_A, handler(limits, peerA));
        // The state the connection was admitted under is left on its peer, for the rate limit.
        ListenerLimits.AddressState state = peerA.addressState();
        assertThat(state.connections()).isEqualTo(1);
        EmbeddedChannel b = connect(CLIENT_B, handler(limits, CLIENT_B));
        assertThat(b.isActive()).isTrue();
        assertThat(a.finishAndReleaseAll()).isFalse();
        assertThat(state.connections()).isZero();
        EmbeddedChannel again = connect(CLIENT_A, handler(limits, CLIENT_A));
        assertThat(again.isActive()).isTrue();
        assertThat(again.finishAndReleaseAll()).isFalse();
        assertThat(b.finishAndReleaseAll()).isFalse();
    }
}

package dev.porter.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ClientProxyProtocolHandlerTest {
    private static final InetSocketAddress BALANCER = new InetSocketAddress("10.0.0.5", 40000);
    private static final long TIMEOUT_MS = 500;

    /** Records what the rest of the pipeline saw. */
    private static final class Downstream extends ChannelInboundHandlerAdapter {
        boolean active;
        final StringBuilder read = new StringBuilder();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            read.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
    }

    private final Downstream downstream = new Downstream();
    private ClientPeer peer;

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return BALANCER;
            }
        };
        ch.freezeTime();
        peer = new ClientPeer(BALANCER, null);
        ch.pipeline().addLast(new HAProxyMessageDecoder(1024),
                new ClientProxyProtocolHandler(peer, TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)), downstream);
        return ch;
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static void advance(EmbeddedChannel ch, long ms) {
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void theRestOfThePipelineSeesTheConnectionOnlyOnceAV1HeaderNamedItsSource() {
        EmbeddedChannel ch = channel();
        assertThat(downstream.active).isFalse();
        assertThat(peer.address().text()).isEqualTo("10.0.0.5");
        ch.writeInbound(ascii("PROXY TCP4 203.0.113.7 10.0.0.1 5"));
        assertThat(downstream.active).isFalse();
        ch.writeInbound(ascii("6324 443\r\nGET / HTTP/1.1\r\n"));
        assertThat(downstream.active).isTrue();
        assertThat(peer.address().text()).isEqualTo("203.0.113.7");
        // What followed the header in the same read goes on, and the PROXY handlers are gone.
        assertThat(downstream.read.toString()).isEqualTo("GET / HTTP/1.1\r\n");
        assertThat(ch.pipeline().get(ClientProxyProtocolHandler.class)).isNull();
        assertThat(ch.pipeline().get(HAProxyMessageDecoder.class)).isNull();
        ch.writeInbound(ascii("Host: a\r\n\r\n"));
        assertThat(downstream.read.toString()).isEqualTo("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        // No timer left behind to close a connection that did everything right.
        advance(ch, TIMEOUT_MS * 2);
        assertThat(ch.isActive()).isTrue();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aV2HeaderOverIpv6NamesItsSource() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(ProxyHeaders.v2Tcp6("2001:db8::7", "2001:db8::1", 4711, 80)));
        assertThat(downstream.active).isTrue();
        assertThat(peer.address().text()).isEqualTo("2001:db8::7");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aLocalHeaderAndAnUnknownProtocolKeepTheSocketAddress() {
        EmbeddedChannel local = channel();
        local.writeInbound(Unpooled.wrappedBuffer(ProxyHeaders.v2Local()));
        assertThat(downstream.active).isTrue();
        assertThat(peer.address().text()).isEqualTo("10.0.0.5");
        assertThat(local.finishAndReleaseAll()).isFalse();

        Downstream second = new Downstream();
        EmbeddedChannel unknown = new EmbeddedChannel();
        ClientPeer p = new ClientPeer(BALANCER, null);
        unknown.pipeline().addLast(new HAProxyMessageDecoder(), new ClientProxyProtocolHandler(p, TimeUnit.SECONDS.toNanos(5)), second);
        unknown.writeInbound(ascii("PROXY UNKNOWN\r\n"));
        assertThat(second.active).isTrue();
        assertThat(p.address().text()).isEqualTo("10.0.0.5");
        assertThat(unknown.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aPlainHttpRequestInsteadOfAHeaderClosesTheConnectionUnseen() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertThat(ch.isActive()).isFalse();
        assertThat(downstream.active).isFalse();
        assertThat(downstream.read.toString()).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aBinaryHeaderWithABadVersionClosesTheConnectionUnseen() {
        EmbeddedChannel ch = channel();
        byte[] bad = ProxyHeaders.v2Tcp4("203.0.113.7", "10.0.0.1", 1, 2);
        bad[12] = 0x31; // version 3
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bad);
        out.writeBytes("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        ch.writeInbound(Unpooled.wrappedBuffer(out.toByteArray()));
        assertThat(ch.isActive()).isFalse();
        assertThat(downstream.active).isFalse();
        assertThat(downstream.read.toString()).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHeaderNotCompleteWithinTheTimeoutClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("PROXY TCP4 203.0.113.7"));
        advance(ch, TIMEOUT_MS - 1);
        assertThat(ch.isActive()).isTrue();
        advance(ch, 1);
        assertThat(ch.isActive()).isFalse();
        assertThat(downstream.active).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHalfCloseBeforeTheHeaderClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("PROX"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(ch.isActive()).isFalse();
        assertThat(downstream.active).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}

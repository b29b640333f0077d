package dev.porter.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tunnel between two {@link EmbeddedChannel}s standing for the client and the upstream
 * connection, each with a stand-in for its HTTP handler behind the tunnel's.
 */
class TunnelTest {
    private static final long IDLE_MS = 1000;

    private final List<Tunnel.End> closingUpstream = new ArrayList<>();
    private final List<Tunnel> ended = new ArrayList<>();
    private final HttpStandIn clientHttp = new HttpStandIn();
    private final HttpStandIn upstreamHttp = new HttpStandIn();
    private EmbeddedChannel client;
    private EmbeddedChannel upstream;
    private Tunnel tunnel;

    @BeforeEach
    void open() {
        client = new EmbeddedChannel(clientHttp);
        upstream = new EmbeddedChannel(upstreamHttp);
        client.freezeTime();
        tunnel = new Tunnel(TimeUnit.MILLISECONDS.toNanos(IDLE_MS), new Tunnel.Listener() {
            @Override
            public void closingUpstream(Tunnel.End why) {
                closingUpstream.add(why);
            }

            @Override
            public void tunnelEnded(Tunnel t) {
                ended.add(t);
            }
        });
        client.pipeline().addFirst("tunnel", tunnel.clientHandler());
        upstream.pipeline().addFirst("tunnel", tunnel.upstreamHandler());
    }

    @AfterEach
    void release() {
        client.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
        assertThat(clientHttp.reads).isZero();
        assertThat(upstreamHttp.reads).isZero();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, US_ASCII);
    }

    private static String read(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void bytesSentBeforeTheTunnelGoFirstThenEachSidesBytesReachTheOther() {
        tunnel.start(ascii("early-frame"), ascii("client-early"));
        assertThat(read(client)).isEqualTo("early-frame");
        assertThat(read(upstream)).isEqualTo("client-early");

        client.writeInbound(ascii("ping"));
        upstream.writeInbound(ascii("pong"), ascii("!"));
        assertThat(read(upstream)).isEqualTo("ping");
        assertThat(read(client)).isEqualTo("pong!");
        assertThat(tunnel.bytesToUpstream()).isEqualTo("client-early".length() + 4);
        assertThat(tunnel.bytesToClient()).isEqualTo("early-frame".length() + 5);
        assertThat(tunnel.end()).isNull();
    }

    @Test
    void aSideThatCannotKeepUpStopsReadingTheOtherUntilItDrains() {
        upstream.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        tunnel.start(null, null);
        assertThat(client.config().isAutoRead()).isTrue();

        // Written, not flushed: the read burst is not over, so the upstream's buffer fills.
        client.pipeline().fireChannelRead(ascii("0123456789abcdefghij"));
        assertThat(upstream.isWritable()).isFalse();
        assertThat(client.config().isAutoRead()).isFalse();

        client.pipeline().fireChannelReadComplete();
        assertThat(upstream.isWritable()).isTrue();
        assertThat(client.config().isAutoRead()).isTrue();
        assertThat(read(upstream)).isEqualTo("0123456789abcdefghij");
    }

    @Test
    void theClientsFinEndsTheUpstreamsOutputAndPorterClosesTheUpstreamFirst() {
        tunnel.start(null, null);
        client.writeInbound(ascii("last words"));
        client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        // An EmbeddedChannel cannot half-close: the FIN becomes a close, after what was pending.
        assertThat(read(upstream)).isEqualTo("last words");
        assertThat(upstream.isActive()).isFalse();
        assertThat(tunnel.end()).isEqualTo(Tunnel.End.CLIENT_CLOSED);
        assertThat(closingUpstream).containsExactly(Tunnel.End.CLIENT_CLOSED);
        assertThat(clientHttp.events).as("the HTTP handler never sees the tunnel's FIN").isEmpty();
        assertThat(upstreamHttp.inactive).isTrue();
        // ...and that close, as any close of a side, ends the other side too.
        assertThat(client.isActive()).isFalse();
        assertThat(ended).containsExactly(tunnel);
        assertThat(clientHttp.inactive).isTrue();
    }

    @Test
    void aTlsClientsCloseNotifyIsItsFinButACloseThatNeverSawOneIsNot() {
        tunnel.start(null, null);
        client.pipeline().fireUserEventTriggered(new SslCloseCompletionEvent(new ClosedChannelException()));
        assertThat(tunnel.end()).isNull();
        assertThat(upstream.isActive()).isTrue();

        client.writeInbound(ascii("last words"));
        client.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);
        assertThat(read(upstream)).isEqualTo("last words");
        // An EmbeddedChannel cannot half-close: the FIN becomes a close.
        assertThat(upstream.isActive()).isFalse();
        assertThat(tunnel.end()).isEqualTo(Tunnel.End.CLIENT_CLOSED);
        assertThat(closingUpstream).containsExactly(Tunnel.End.CLIENT_CLOSED);
        assertThat(clientHttp.events).as("the HTTP handler never sees TLS events of the tunnel").isEmpty();
    }

    @Test
    void theUpstreamClosingClosesTheClientAfterWhatItSentAndPorterNeverClosedTheUpstream() {
        tunnel.start(null, null);
        upstream.pipeline().fireChannelRead(ascii("bye"));
        upstream.close();
        assertThat(read(client)).isEqualTo("bye");
        assertThat(client.isActive()).isFalse();
        assertThat(tunnel.end()).isEqualTo(Tunnel.End.UPSTREAM_CLOSED);
        assertThat(closingUpstream).isEmpty();
        assertThat(ended).containsExactly(tunnel);
        assertThat(clientHttp.inactive).isTrue();
        assertThat(upstreamHttp.inactive).isTrue();
    }

    @Test
    void aTunnelWithoutAByteEitherWayForTheTimeoutIsClosedOnBothSides() {
        tunnel.start(null, null);
        advance(IDLE_MS - 1);
        client.writeInbound(ascii("a"));
        advance(IDLE_MS - 1);
        upstream.writeInbound(ascii("b"));
        advance(IDLE_MS - 1);
        assertThat(client.isActive()).isTrue();
        assertThat(upstream.isActive()).isTrue();

        advance(1);
        assertThat(client.isActive()).isFalse();
        assertThat(upstream.isActive()).isFalse();
        assertThat(tunnel.end()).isEqualTo(Tunnel.End.TIMEOUT);
        assertThat(closingUpstream).containsExactly(Tunnel.End.TIMEOUT);
        assertThat(ended).containsExactly(tunnel);
        assertThat(tunnel.durationNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3 * IDLE_MS - 2));
    }

    @Test
    void anErrorOnEitherSideClosesBoth() {
        tunnel.start(null, null);
        upstream.pipeline().fireExceptionCaught(new java.io.IOException("reset by peer"));
        assertThat(client.isActive()).isFalse();
        assertThat(upstream.isActive()).isFalse();
        assertThat(tunnel.end()).isEqualTo(Tunnel.End.ERROR);
        assertThat(ended).hasSize(1);
    }

    @Test
    void bytesForASideAlreadyGoneAreReleasedNotWritten() {
        tunnel.start(null, null);
        upstream.close();
        client.pipeline().fireChannelRead(ascii("too late"));
        assertThat(upstream.outboundMessages()).isEmpty();
        assertThat(ended).hasSize(1);
    }

    @Test
    void aSideGoneBeforeTheStartEndsTheTunnelAtOnceAndReleasesWhatWasHeld() {
        upstream.close();
        tunnel.start(ascii("for the client"), ascii("for the upstream"));
        assertThat(client.isActive()).isFalse();
        assertThat(tunnel.end()).isEqualTo(Tunnel.End.UPSTREAM_CLOSED);
        assertThat(ended).hasSize(1);
    }

    private void advance(long ms) {
        client.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
    }

    /** What the HTTP handler behind the tunnel's sees: nothing but the close. */
    private static final class HttpStandIn extends ChannelInboundHandlerAdapter {
        int reads;
        final List<Object> events = new ArrayList<>();
        boolean inactive;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads++;
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive = true;
        }
    }
}

package dev.porter.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTlsHandshakeHandlerTest {
    private static final long TIMEOUT_MS = 500;
    private final List<String> seen = new ArrayList<>();

    /** What the rest of the client pipeline sees. */
    private final class Rest extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            seen.add("active");
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            seen.add("inactive");
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            seen.add("read");
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add("event");
        }
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new ClientTlsHandshakeHandler(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)), new Rest());
        return ch;
    }

    private static void advance(EmbeddedChannel ch, long ms) {
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void theRestOfThePipelineSeesTheConnectionActiveOnlyOnceItsHandshakeSucceeded() {
        EmbeddedChannel ch = channel();
        advance(ch, TIMEOUT_MS - 1);
        assertThat(seen).isEmpty();
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(seen).containsExactly("active");
        assertThat(ch.pipeline().get(ClientTlsHandshakeHandler.class)).isNull();

        advance(ch, TIMEOUT_MS * 10);
        assertThat(ch.isOpen()).isTrue();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G'}));
        ch.close();
        assertThat(seen).containsExactly("active", "read", "inactive");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHandshakeNotDoneWithinTheTimeoutClosesTheConnectionUnseenByTheRest() {
        EmbeddedChannel ch = channel();
        advance(ch, TIMEOUT_MS - 1);
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 1);
        assertThat(ch.isOpen()).isFalse();
        assertThat(seen).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aFailedHandshakeClosesAndItsErrorStopsHere() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireExceptionCaught(new SSLHandshakeException("no cipher suites in common"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(seen).isEmpty();
        EmbeddedChannel other = channel();
        other.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("bad")));
        assertThat(other.isOpen()).isFalse();
        assertThat(seen).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
        assertThat(other.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aClientThatHalfClosesBeforeItsHandshakeIsClosed() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(ch.isOpen()).isFalse();
        assertThat(seen).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}

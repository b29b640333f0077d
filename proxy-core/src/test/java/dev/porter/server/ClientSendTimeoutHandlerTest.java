package dev.porter.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSendTimeoutHandlerTest {
    private static final long TIMEOUT_MS = 1000;

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(new ClientSendTimeoutHandler(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)));
        ch.freezeTime();
        return ch;
    }

    private static void advance(EmbeddedChannel ch, long ms) {
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aWriteThatMakesNoProgressForSendTimeoutClosesTheConnection() {
        EmbeddedChannel ch = channel();
        // Written but not flushed: it stays in the outbound buffer, as if the client read nothing.
        ch.write(Unpooled.wrappedBuffer(new byte[1000]));
        for (int i = 0; i < 3; i++) {
            advance(ch, TIMEOUT_MS / 4);
            assertThat(ch.isActive()).isTrue();
        }
        advance(ch, TIMEOUT_MS / 4);
        assertThat(ch.isActive()).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void progressRestartsTheTimeout() {
        EmbeddedChannel ch = channel();
        ch.write(Unpooled.wrappedBuffer(new byte[1000]));
        advance(ch, 750);
        // More queued counts as a change of the pending bytes; what matters is that something moved.
        ch.write(Unpooled.wrappedBuffer(new byte[10]));
        advance(ch, 250);
        advance(ch, 750);
        assertThat(ch.isActive()).isTrue();
        advance(ch, 250);
        assertThat(ch.isActive()).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void nothingPendingMeansNoTimeoutHoweverLongTheConnectionIsQuiet() {
        EmbeddedChannel ch = channel();
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[1000]));
        advance(ch, 60_000);
        advance(ch, 60_000);
        assertThat(ch.isActive()).isTrue();
        assertThat(ch.finishAndReleaseAll()).isTrue();
    }
}

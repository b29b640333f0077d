package dev.porter.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClientSendTimeout} on an {@code EmbeddedChannel}'s virtual time. A write left unflushed
 * stays in the outbound buffer, as bytes the kernel would not take do on a real socket; the
 * connection handler tells the timeout of each flush, as {@code flushed()} does here.
 */
class ClientSendTimeoutTest {
    private static final long TIMEOUT_MS = 1000;
    private EmbeddedChannel ch;
    private ClientSendTimeout timeout;

    private EmbeddedChannel channel() {
        ch = new EmbeddedChannel();
        ch.freezeTime();
        timeout = new ClientSendTimeout(ch, TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS));
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
        timeout.flushed();
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
        timeout.flushed();
        advance(ch, 750);
        // More queued counts as a change of the pending bytes; what matters is that something moved.
        ch.write(Unpooled.wrappedBuffer(new byte[10]));
        timeout.flushed();
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
        timeout.flushed();
        // A response the kernel took whole arms no check at all.
        assertThat(ch.runScheduledPendingTasks()).isEqualTo(-1);
        advance(ch, 60_000);
        advance(ch, 60_000);
        assertThat(ch.isActive()).isTrue();
        assertThat(ch.finishAndReleaseAll()).isTrue();
    }
}

package dev.porter.server;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import dev.porter.transport.Transport;
import dev.porter.upstream.UpstreamGroups;
import dev.porter.upstream.UpstreamServers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClientConnectionHandler} alone on an {@code EmbeddedChannel}, on the channel's virtual
 * time: what it answers and when it ends a connection for requests that never reach an
 * upstream (the upstream's address is never connected to).
 */
class ClientConnectionHandlerTest {
    private static final ProxyConfig CONFIG = ConfigLoader.parse("""
            porter {
              workers = 1
              listeners = [ { address = "127.0.0.1:0", keepalive-timeout = 5s, client-header-timeout = 2s,
                              linger-timeout = 1s } ]
              upstreams { app { servers = [ { address = "127.0.0.1:9" } ] } }
              routes = [ { path-prefix = "/app", upstream = app } ]
            }
            """, "test.conf");

    private EmbeddedChannel ch;

    /**
     * A client connection as Porter accepts it, on frozen time: the handler goes in once the
     * clock is frozen and then sees the channel become active, so the keep-alive clock starts on
     * virtual time.
     */
    private EmbeddedChannel connect() {
        ch = new EmbeddedChannel();
        ch.freezeTime();
        Worker worker = new Worker(ch.eventLoop(), 0, CONFIG, UpstreamGroups.create(ch.eventLoop(), 0, CONFIG,
                UpstreamServers.create(CONFIG, 28232), Transport.best(), Map.of()));
        ch.pipeline().addLast(new ClientConnectionHandler(new WorkerListener(worker, CONFIG.listeners().get(0), null),
                new ClientPeer(ch.remoteAddress(), null)));
        ch.pipeline().fireChannelActive();
        return ch;
    }

    @AfterEach
    void release() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private void send(String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    private void advanceMillis(long ms) {
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        ch.runPendingTasks();
        ch.runScheduledPendingTasks();
    }

    @Test
    void anIdleConnectionEndsAtKeepaliveTimeoutWithoutAWord() {
        connect();
        advanceMillis(4_999);
        assertThat(ch.isOpen()).isTrue();
        advanceMillis(1);
        assertThat(ch.isOpen()).isFalse();
        assertThat(written()).isEmpty();
    }

    @Test
    void aHeadThatStallsIsAnswered408AtClientHeaderTimeoutAndTheConnectionEnds() {
        connect();
        send("GET /app HTTP/1.1\r\nHo");
        advanceMillis(1_999);
        assertThat(written()).isEmpty();
        advanceMillis(1);
        assertThat(written()).startsWith("HTTP/1.1 408 ");
        advanceMillis(1_000);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anAmbiguousRequestIsAnswered400AndNothingAfterItIsRead() {
        connect();
        send("POST /app HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"
                + "GET /app/smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
        String out = written();
        assertThat(out).startsWith("HTTP/1.1 400 ").containsIgnoringCase("connection: close");
        assertThat(out.split("HTTP/1.1 ", -1)).as("one response: the smuggled request is never looked at").hasSize(2);
        advanceMillis(1_000);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aRequestNoRouteTakesIsAnswered404AndTheConnectionStaysForTheNext() {
        connect();
        send("GET /elsewhere HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 404 ");
        assertThat(ch.isOpen()).isTrue();
        send("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 404 ");
        // The keep-alive clock restarts after each response.
        advanceMillis(4_999);
        assertThat(ch.isOpen()).isTrue();
        advanceMillis(1);
        assertThat(ch.isOpen()).isFalse();
    }
}

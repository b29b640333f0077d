package dev.porter.server;

import dev.porter.testing.KernelSockets;
import dev.porter.testing.OneLoopPorter;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shutdown closes idle keep-alive connections at once, but not a connection whose first
 * request has been sent and not yet read: its client will not send it again (it was never
 * answered on a reused connection, so no client retries it), and a close with the request unread
 * resets the connection. The connection is accepted before the shutdown begins (as it is when
 * the listener's last pass takes it just before the listener closes); the worker is held while
 * the request reaches the kernel's receive queue and the shutdown is queued behind the hold, so
 * the shutdown runs before the request is read.
 */
class ShutdownFirstRequestIT {
    private static final ScriptedUpstream.Script ANSWERS = (conn, index) -> {
        while (conn.readRequest() != null) {
            conn.ok("answered");
        }
    };

    @Test
    void aFirstRequestSentBeforeTheShutdownIsServedAndTheConnectionThenClosed() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(ANSWERS);
             OneLoopPorter p = OneLoopPorter.start(PorterFixture.config(1, new String[] {upstream.address()}, "", "", ""));
             RawHttp fresh = p.connect();
             RawHttp kept = p.connect()) {
            assertThat(kept.send("GET /kept HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("answered");
            await().until(() -> p.openConnections() == 2);
            int porterPort = p.address().getPort();
            int clientPort = fresh.socket().getLocalPort();

            try (OneLoopPorter.Hold hold = p.hold()) {
                fresh.send("GET /first HTTP/1.1\r\nHost: t\r\n\r\n");
                await().until(() -> KernelSockets.receiveQueue(porterPort, clientPort) > 0);
                p.beginShutdown();
            }

            RawHttp.Response r = fresh.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("answered");
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(fresh.isClosedByPeer()).isTrue();
            assertThat(kept.isClosedByPeer()).as("the idle keep-alive connection is closed at once").isTrue();
        }
    }

    @Test
    void aConnectionThatReachesAWorkerAfterItsShutdownBeganIsServedItsFirstRequest() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(ANSWERS);
             OneLoopPorter p = OneLoopPorter.start(PorterFixture.config(1, new String[] {upstream.address()}, "", "", ""))) {
            int porterPort = p.address().getPort();
            RawHttp late;
            // Held: the connection waits in the accept queue with its request while the shutdown
            // is queued, so the worker meets it only after its shutdown began (as a worker meets a
            // connection another worker handed over just before its listener closed).
            try (OneLoopPorter.Hold hold = p.hold()) {
                late = p.connect();
                late.send("GET /late HTTP/1.1\r\nHost: t\r\n\r\n");
                int clientPort = late.socket().getLocalPort();
                await().until(() -> KernelSockets.receiveQueue(porterPort, clientPort) > 0);
                p.beginShutdown();
            }
            try (RawHttp c = late) {
                RawHttp.Response r = c.read();
                assertThat(r.status).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("answered");
                assertThat(r.header("connection")).isEqualTo("close");
                assertThat(c.isClosedByPeer()).isTrue();
            }
        }
    }
}

package dev.porter.close;

import dev.porter.close.ClosedBy;
import dev.porter.tcp.ProcNetTcp;
import dev.porter.tcp.TcpSocket;
import dev.porter.tcp.TcpState;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import dev.porter.testing.TomcatBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whenever a peer closes, Porter closes its side promptly: no socket of Porter's is left in
 * CLOSE_WAIT (which, in numbers, is always an application bug), whatever state it was in.
 */
class CloseWaitIT {

    private static long closeWait(Predicate<TcpSocket> which) throws IOException {
        return ProcNetTcp.read(Path.of("/proc/net")).stream()
                .filter(s -> s.state() == TcpState.CLOSE_WAIT).filter(which).count();
    }

    @Test
    void idlePooledConnectionClosedByTheUpstreamIsClosedAtOnce() throws Exception {
        // An upstream that gives no Keep-Alive hint and closes idle connections after 300 ms.
        ScriptedUpstream.Script closesWhenIdle = (conn, index) -> {
            conn.readRequest();
            conn.ok("hi");
            conn.socket().setSoTimeout(300);
            try {
                conn.readRequest();
            } catch (java.net.SocketTimeoutException idle) {
                // idle long enough: close, as Tomcat's keepAliveTimeout would
            }
        };
        try (ScriptedUpstream upstream = new ScriptedUpstream(closesWhenIdle);
             PorterFixture porter = PorterFixture.start(1, upstream.address(), "keepalive-timeout = 60s")) {
            int upstreamPort = Integer.parseInt(upstream.address().substring(upstream.address().lastIndexOf(':') + 1));
            try (RawHttp c = porter.connect()) {
                assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).until(() -> porter.status().pools().get(0).closedBy().get(ClosedBy.UPSTREAM) == 1);
                assertThat(closeWait(s -> s.remote().getPort() == upstreamPort)).isZero();
                assertThat(porter.status().pools().get(0).idle()).isZero();
                // And the next request simply opens a new connection.
                assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().status).isEqualTo(200);
                assertThat(upstream.connections()).isEqualTo(2);
            }
        }
    }

    @Test
    void idleClientThatClosesLeavesNoCloseWait() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "")) {
            int port = porter.address().getPort();
            for (int i = 0; i < 5; i++) {
                RawHttp c = porter.connect();
                c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
                c.shutdownOutput();
                assertThat(c.isClosedByPeer()).isTrue();
                c.close();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> closeWait(s -> s.local().getPort() == port) == 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> porter.status().clients().get(0).open() == 0);
        }
    }

    @Test
    void clientHalfCloseMidExchangeGetsTheResponseThenTheConnectionCloses() throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             PorterFixture porter = PorterFixture.start(1, tomcat.address(), "")) {
            int port = porter.address().getPort();
            try (RawHttp c = porter.connect()) {
                c.send("GET /slow?ms=300 HTTP/1.1\r\nHost: t\r\n\r\n");
                c.shutdownOutput();
                assertThat(c.read().status).isEqualTo(200);
                assertThat(c.isClosedByPeer()).isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> closeWait(s -> s.local().getPort() == port) == 0);
        }
    }

    @Test
    void upstreamThatClosesMidResponseLeavesNoCloseWaitOnEitherLeg() throws Exception {
        ScriptedUpstream.Script cut = (conn, index) -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
        };
        try (ScriptedUpstream upstream = new ScriptedUpstream(cut);
             PorterFixture porter = PorterFixture.start(1, upstream.address(), "")) {
            int porterPort = porter.address().getPort();
            int upstreamPort = Integer.parseInt(upstream.address().substring(upstream.address().lastIndexOf(':') + 1));
            try (RawHttp c = porter.connect()) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
                org.assertj.core.api.Assertions.assertThatThrownBy(c::read).isInstanceOf(IOException.class);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> closeWait(
                    s -> s.local().getPort() == porterPort || s.remote().getPort() == upstreamPort) == 0);
        }
    }
}

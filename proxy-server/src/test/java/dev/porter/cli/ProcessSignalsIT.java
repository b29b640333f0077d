package dev.porter.cli;

import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import dev.porter.testing.ScriptedUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The real {@code porter.jar} process under the signals an operator sends: SIGTERM drains
 * (requests in flight finish whole, new connections are refused, the process exits once
 * drained and at the latest after shutdown-timeout, cutting and logging what is left), and
 * SIGHUP reloads (a good file applies, a bad one is refused and the old configuration serves on).
 */
class ProcessSignalsIT {
    private static final String BODY = "0123456789abcdef".repeat(4096); // 64 KiB

    @TempDir
    Path dir;

    private Path config(String upstream, String shutdownTimeout) throws IOException {
        return Files.writeString(dir.resolve("porter.conf"), """
                porter {
                  workers = 2
                  listeners = [ { address = "127.0.0.1:0" } ]
                  upstreams { app { servers = [ { address = "%s" } ] } }
                  routes = [ { path-prefix = "/", upstream = app } ]
                  admin.address = "127.0.0.1:0"
                  shutdown-timeout = %s
                }
                """.formatted(upstream, shutdownTimeout));
    }

    /** GET /slow waits until {@code finish} opens, then gets a 64 KiB body; anything else is answered at once. */
    private static ScriptedUpstream upstream(CountDownLatch finish) throws IOException {
        return new ScriptedUpstream((conn, index) -> {
            for (String head = conn.readRequest(); head != null; head = conn.readRequest()) {
                if (head.startsWith("GET /slow ")) {
                    try {
                        finish.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    conn.ok(BODY);
                } else {
                    conn.ok("fast");
                }
            }
        });
    }

    private static boolean refused(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishWholeRefusesNewConnectionsAndExitsOnceDrained() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        try (ScriptedUpstream upstream = upstream(finish);
             PorterJar porter = PorterJar.run(config(upstream.address(), "30s"));
             RawHttp inFlight = new RawHttp(porter.listen());
             RawHttp idle = new RawHttp(porter.listen())) {
            assertThat(idle.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("fast");
            inFlight.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().stream().anyMatch(h -> h.startsWith("GET /slow ")));

            porter.signal("TERM");

            await().atMost(Duration.ofSeconds(10)).until(() -> refused(porter.listen()));
            assertThat(idle.isClosedByPeer()).as("an idle keepalive connection is closed at once").isTrue();
            assertThat(porter.process().isAlive()).as("still draining the request in flight").isTrue();

            finish.countDown();
            RawHttp.Response r = inFlight.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(BODY);
            assertThat(r.header("connection")).isEqualTo("close");

            assertThat(porter.process().waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(porter.process().exitValue()).as("a JVM ended by SIGTERM").isEqualTo(143);
            String log = porter.log();
            // Exited once drained: the 30 s shutdown-timeout never expired (Porter logs it when it does).
            assertThat(log).contains("shutting down: letting in-flight requests finish").contains("stopped")
                    .doesNotContain("expired");
        } finally {
            finish.countDown();
        }
    }

    @Test
    void aRequestStillRunningWhenShutdownTimeoutExpiresIsCutAndLogged() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (ScriptedUpstream upstream = upstream(never);
             PorterJar porter = PorterJar.run(config(upstream.address(), "1s"));
             RawHttp inFlight = new RawHttp(porter.listen())) {
            inFlight.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().stream().anyMatch(h -> h.startsWith("GET /slow ")));

            porter.signal("TERM");

            assertThat(porter.process().waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThatThrownBy(inFlight::read).as("cut: no response, or not a whole one").isInstanceOf(IOException.class);
            // Porter waited for the request until shutdown-timeout expired, then cut it and said so.
            assertThat(porter.log()).contains("shutdown-timeout 1s expired with 1 client connection(s) still open");
        } finally {
            never.countDown();
        }
    }

    @Test
    void sighupAppliesAGoodFileAndRefusesABadOneWhileTheRunningConfigurationServesOn() throws Exception {
        try (RecordingUpstream a = new RecordingUpstream((c, r) -> RecordingUpstream.ok("a"));
             RecordingUpstream b = new RecordingUpstream((c, r) -> RecordingUpstream.ok("b"));
             PorterJar porter = PorterJar.run(config(a.address(), "5s"));
             RawHttp client = new RawHttp(porter.listen())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("a");

            config(b.address(), "5s");
            porter.signal("HUP");
            porter.awaitLog("SIGHUP: reloaded", Duration.ofSeconds(10));
            assertThat(client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("b");

            Files.writeString(dir.resolve("porter.conf"), "porter { workers = many }\n");
            porter.signal("HUP");
            porter.awaitLog("refused", Duration.ofSeconds(10));
            assertThat(porter.log()).contains("SIGHUP: reload of").contains("porter.conf: 1").contains("workers");
            assertThat(client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("b");
            try (RawHttp fresh = new RawHttp(porter.listen())) {
                assertThat(fresh.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("b");
            }
            assertThat(porter.process().isAlive()).isTrue();
        }
    }
}

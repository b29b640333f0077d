package dev.porter.server;

import dev.porter.metrics.ServerSnapshot;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passive health as nginx does it: a group's only server is never taken out (one bad
 * response must not turn into fail-timeout of 502s), while with several servers a failing one
 * is taken out for all workers and /status says so, with the reason.
 */
class UpstreamHealthIT {
    /** Resets the first connection after reading its request, then serves every other one. */
    private static final ScriptedUpstream.Script FIRST_CONNECTION_RESET = (conn, index) -> {
        if (index == 0) {
            conn.readRequest();
            conn.reset();
            return;
        }
        while (conn.readRequest() != null) {
            conn.ok("fine");
        }
    };

    private static RawHttp.Response get(PorterFixture p) throws IOException {
        try (RawHttp c = p.connect()) {
            return c.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n").read();
        }
    }

    private static ServerSnapshot server(PorterFixture p, String name) {
        return p.status().servers().stream().filter(s -> s.server().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aLoneServerAnswersEveryRequestItCanAnswerAfterItFailed() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(FIRST_CONNECTION_RESET);
             PorterFixture p = PorterFixture.start(2, new String[] {upstream.address()}, "", "",
                     "server-defaults { max-fails = 1, fail-timeout = 1h }")) {
            assertThat(get(p).status).isEqualTo(502);
            for (int i = 0; i < 6; i++) {
                RawHttp.Response r = get(p);
                assertThat(r.status).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("fine");
            }
            ServerSnapshot s = server(p, upstream.address());
            assertThat(s.lone()).isTrue();
            assertThat(s.down()).isFalse();
            assertThat(s.lastFailure()).containsAnyOf("upstream closed the connection", "Connection reset");
        }
    }

    @Test
    void withSeveralServersAFailingOneIsOutForAllWorkersWithItsReasonShown() throws Exception {
        ScriptedUpstream.Script alwaysReset = (conn, index) -> {
            conn.readRequest();
            conn.reset();
        };
        ScriptedUpstream.Script healthy = (conn, index) -> {
            while (conn.readRequest() != null) {
                conn.ok("fine");
            }
        };
        try (ScriptedUpstream bad = new ScriptedUpstream(alwaysReset);
             ScriptedUpstream good = new ScriptedUpstream(healthy);
             PorterFixture p = PorterFixture.start(2, new String[] {bad.address(), good.address()}, "", "",
                     "server-defaults { max-fails = 1, fail-timeout = 1h }")) {
            for (int i = 0; i < 10; i++) {
                // The failed try goes on to the healthy server (next-upstream error).
                assertThat(get(p).status).isEqualTo(200);
            }
            // Out after its first failure, for both workers: it saw exactly one request.
            assertThat(bad.requests()).hasSize(1);
            ServerSnapshot s = server(p, bad.address());
            assertThat(s.lone()).isFalse();
            assertThat(s.down()).isTrue();
            assertThat(s.downUntil()).isNotNull();
            assertThat(s.lastFailure()).containsAnyOf("upstream closed the connection", "Connection reset");
            assertThat(server(p, good.address()).down()).isFalse();
        }
    }
}

package dev.porter.server;

import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's proxy_next_upstream: which failures send a request to the next server, and which never do. */
class NextUpstreamIT {
    private static final ScriptedUpstream.Script UNAVAILABLE = (conn, index) -> {
        while (conn.readRequest() != null) {
            conn.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
        }
    };
    private static final ScriptedUpstream.Script HEALTHY = (conn, index) -> {
        while (conn.readRequest() != null) {
            conn.ok("fine");
        }
    };

    private static RawHttp.Response send(PorterFixture p, String request) throws IOException {
        try (RawHttp c = p.connect()) {
            return c.send(request).read();
        }
    }

    @Test
    void http503GoesToTheNextServerForIdempotentRequestsWhenConfigured() throws Exception {
        try (ScriptedUpstream busy = new ScriptedUpstream(UNAVAILABLE);
             ScriptedUpstream healthy = new ScriptedUpstream(HEALTHY);
             PorterFixture p = PorterFixture.start(1, new String[] {busy.address(), healthy.address()},
                     "next-upstream = [error, timeout, http_503]", "", "server-defaults.max-fails = 0")) {
            for (int i = 0; i < 4; i++) {
                RawHttp.Response r = send(p, "GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(r.status).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("fine");
            }
            assertThat(busy.requests()).isNotEmpty();
        }
    }

    @Test
    void postIsNeverPassedOnAfterItWasSent() throws Exception {
        try (ScriptedUpstream busy = new ScriptedUpstream(UNAVAILABLE);
             PorterFixture p = PorterFixture.start(1, new String[] {busy.address(), busy.address()},
                     "next-upstream = [error, timeout, http_503]", "", "server-defaults.max-fails = 0")) {
            RawHttp.Response r = send(p, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx");
            assertThat(r.status).isEqualTo(503);
            assertThat(r.bodyText()).isEqualTo("busy");
            assertThat(busy.requests()).hasSize(1);
        }
    }

    @Test
    void withoutTheConditionTheUpstreamsResponseIsRelayed() throws Exception {
        try (ScriptedUpstream busy = new ScriptedUpstream(UNAVAILABLE);
             ScriptedUpstream healthy = new ScriptedUpstream(HEALTHY);
             PorterFixture p = PorterFixture.start(1, new String[] {busy.address(), healthy.address()}, "", "",
                     "server-defaults.max-fails = 0")) {
            int got503 = 0;
            for (int i = 0; i < 4; i++) {
                if (send(p, "GET /x HTTP/1.1\r\nHost: t\r\n\r\n").status == 503) {
                    got503++;
                }
            }
            assertThat(got503).isEqualTo(2); // round-robin: every other request meets the busy server
        }
    }

    @Test
    void whenNoServerIsLeftTheLast503IsRelayed() throws Exception {
        try (ScriptedUpstream busy = new ScriptedUpstream(UNAVAILABLE);
             PorterFixture p = PorterFixture.start(1, new String[] {busy.address()},
                     "next-upstream = [error, timeout, http_503]", "", "")) {
            assertThat(send(p, "GET /x HTTP/1.1\r\nHost: t\r\n\r\n").status).isEqualTo(503);
        }
    }
}

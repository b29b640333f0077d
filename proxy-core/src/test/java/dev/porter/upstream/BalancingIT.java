package dev.porter.upstream;

import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.ScriptedUpstream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a group spreads requests over its servers, end to end on one worker: weights, least-conn
 * with requests in flight, and a failed server taken out for fail-timeout and back after it.
 * Every group here has two servers, where nginx's health semantics apply in full.
 */
class BalancingIT {
    private static final String GET = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";

    /** Answers every request with its own name; a request to /hold waits until {@code release} opens. */
    private static ScriptedUpstream named(String name, CountDownLatch release) throws IOException {
        return new ScriptedUpstream((conn, index) -> {
            for (String head = conn.readRequest(); head != null; head = conn.readRequest()) {
                if (head.startsWith("GET /hold ")) {
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                conn.ok(name);
            }
        });
    }

    private static String config(String balance, String serverA, String serverB) {
        return "porter {\n workers = 1\n listeners = [ { address = \"127.0.0.1:0\" } ]\n"
                + " upstreams { app { balance = " + balance + "\n servers = [ " + serverA + ", " + serverB + " ] } }\n"
                + " routes = [ { upstream = app } ]\n admin.enabled = false\n}\n";
    }

    private static String body(RawHttp c, String request) throws IOException {
        RawHttp.Response r = c.send(request).read();
        assertThat(r.status).isEqualTo(200);
        return r.bodyText();
    }

    private static long count(ScriptedUpstream upstream, String requestLineStart) {
        return upstream.requests().stream().filter(h -> h.startsWith(requestLineStart)).count();
    }

    @Test
    void weightsShareRequestsInProportion() throws Exception {
        CountDownLatch never = new CountDownLatch(0);
        try (ScriptedUpstream heavy = named("heavy", never);
             ScriptedUpstream light = named("light", never);
             PorterFixture p = PorterFixture.start(config("round-robin",
                     "{ address = \"" + heavy.address() + "\", weight = 3 }", "{ address = \"" + light.address() + "\" }"));
             RawHttp c = p.connect()) {
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                order.append(body(c, GET).charAt(0));
            }
            // nginx's smooth weighted round-robin for 3:1, twice over.
            assertThat(order).hasToString("hhlhhhlh");
        }
    }

    @Test
    void leastConnSendsNewRequestsAwayFromTheServerWithARequestInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ScriptedUpstream a = named("a", release);
             ScriptedUpstream b = named("b", release);
             PorterFixture p = PorterFixture.start(config("least-conn",
                     "{ address = \"" + a.address() + "\" }", "{ address = \"" + b.address() + "\" }"))) {
            Future<String> held = pool.submit(() -> {
                try (RawHttp c = p.connect()) {
                    return body(c, "GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> count(a, "GET /hold ") + count(b, "GET /hold ") == 1);
            ScriptedUpstream busy = count(a, "GET /hold ") == 1 ? a : b;
            ScriptedUpstream free = busy == a ? b : a;

            try (RawHttp c = p.connect()) {
                for (int i = 0; i < 6; i++) {
                    body(c, GET);
                }
            }

            assertThat(count(free, "GET /x ")).as("every request while the other server is busy").isEqualTo(6);
            assertThat(count(busy, "GET /x ")).isZero();
            release.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(busy == a ? "a" : "b");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedServerIsTakenOutForFailTimeoutAndServesAgainAfterIt() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        // While broken it reads a request and closes without answering.
        ScriptedUpstream.Script flaky = (conn, index) -> {
            for (String head = conn.readRequest(); head != null; head = conn.readRequest()) {
                if (broken.get()) {
                    return;
                }
                conn.ok("a");
            }
        };
        CountDownLatch never = new CountDownLatch(0);
        try (ScriptedUpstream a = new ScriptedUpstream(flaky);
             ScriptedUpstream b = named("b", never);
             PorterFixture p = PorterFixture.start(config("round-robin",
                     "{ address = \"" + a.address() + "\", max-fails = 1, fail-timeout = 3s }",
                     "{ address = \"" + b.address() + "\", max-fails = 1, fail-timeout = 3s }"));
             RawHttp c = p.connect()) {
            // Round-robin starts with a: it fails, the request goes on to b, and a is out.
            assertThat(body(c, GET)).isEqualTo("b");
            assertThat(a.requests()).hasSize(1);
            for (int i = 0; i < 4; i++) {
                assertThat(body(c, GET)).isEqualTo("b");
            }
            assertThat(a.requests()).as("nothing goes to a while it is out").hasSize(1);

            broken.set(false);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> body(c, GET).equals("a"));
            assertThat(a.requests()).hasSize(2);
            List<String> next = List.of(body(c, GET), body(c, GET));
            assertThat(next).as("back in the rotation").containsExactlyInAnyOrder("a", "b");
        }
    }
}

package dev.porter.bench.load;

import dev.porter.bench.backend.StaticOrigin;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The static origin, the idle clients and the new-connection-per-request generator on real loopback sockets. */
class IdleClientsTest {
    @Test
    void theStaticOriginAnswersSixBytes() throws Exception {
        try (StaticOrigin origin = new StaticOrigin("127.0.0.1", 0)) {
            InetSocketAddress a = origin.start();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + a.getPort() + "/any/path")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello\n");
        }
    }

    @Test
    void idleClientsHoldEveryConnectionOpenAfterItsOneResponse() throws Exception {
        try (StaticOrigin origin = new StaticOrigin("127.0.0.1", 0)) {
            InetSocketAddress a = origin.start();
            try (IdleClients clients = new IdleClients(a, 300, 16)) {
                IdleClients.Outcome o = clients.open(Duration.ofSeconds(60));

                assertThat(o.timedOut()).isFalse();
                assertThat(o.answered()).isEqualTo(300);
                assertThat(o.non200()).isZero();
                assertThat(o.failures()).isEmpty();
                assertThat(clients.open()).isEqualTo(300);
            }
        }
    }

    @Test
    void refusedConnectsAreCountedByErrno() throws Exception {
        InetSocketAddress closed;
        try (StaticOrigin origin = new StaticOrigin("127.0.0.1", 0)) {
            closed = origin.start();
        }
        try (IdleClients clients = new IdleClients(closed, 5, 2)) {
            IdleClients.Outcome o = clients.open(Duration.ofSeconds(30));

            assertThat(o.failures()).containsEntry("ECONNREFUSED", 5L);
            assertThat(o.held()).isZero();
        }
    }

    @Test
    void theBenchGeneratorOpensAConnectionPerRequestWhenAskedTo() throws Exception {
        try (StaticOrigin origin = new StaticOrigin("127.0.0.1", 0)) {
            InetSocketAddress a = origin.start();
            LoadSpec spec = new LoadSpec(a, "localhost", "/", 4, Duration.ofSeconds(30), 0, 200,
                    ClientConnection.CLOSE_HEADER, 1);

            LoadResult r = new LoadGenerator(spec).run();

            assertThat(r.status2xx()).isEqualTo(200);
            // every request on a connection of its own
            assertThat(r.connects()).isEqualTo(r.requests());
        }
    }
}

package dev.porter.server;

import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import dev.porter.testing.RecordingUpstream.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes over real sockets: which group a request reaches by Host and path, 404 when no route
 * matches, and each route's header edits as the upstream receives them.
 */
class RoutingIT {
    private static RecordingUpstream app;
    private static RecordingUpstream admin;
    private static PorterFixture porter;

    @BeforeAll
    static void start() throws IOException {
        app = new RecordingUpstream((c, r) -> RecordingUpstream.ok("app " + r.target()));
        admin = new RecordingUpstream((c, r) -> RecordingUpstream.ok("admin " + r.target()));
        porter = PorterFixture.start("porter {\n"
                + "  workers = 1\n"
                + "  listeners = [ { address = \"127.0.0.1:0\" } ]\n"
                + "  upstreams {\n"
                + "    app { servers = [ { address = \"" + app.address() + "\" } ] }\n"
                + "    admin { servers = [ { address = \"" + admin.address() + "\" } ] }\n"
                + "  }\n"
                + "  routes = [\n"
                + "    { path-prefix = \"/app/\", upstream = app, remove-headers = [ X-Secret ] }\n"
                + "    { host = \"admin.example\", upstream = admin,\n"
                + "      set-headers { Host = \"admin.internal\", X-Route = admin }, remove-headers = [ X-Secret ] }\n"
                + "    { path-prefix = \"/app/public/\", upstream = admin }\n"
                + "  ]\n"
                + "  admin.enabled = false\n"
                + "}\n");
    }

    @AfterAll
    static void stop() throws IOException {
        porter.close();
        app.close();
        admin.close();
    }

    private static RawHttp.Response get(RawHttp c, String host, String target) throws IOException {
        return c.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nX-Secret: s3cr3t\r\nX-Keep: yes\r\n\r\n").read();
    }

    private static Received last(RecordingUpstream upstream) {
        return upstream.received().get(upstream.received().size() - 1);
    }

    @Test
    void aRouteNamingTheHostWinsWhateverThePathAndThePortOrCaseOfTheHost() throws IOException {
        try (RawHttp c = porter.connect()) {
            assertThat(get(c, "Admin.Example:8080", "/app/x").bodyText()).isEqualTo("admin /app/x");
            assertThat(get(c, "admin.example", "/").bodyText()).isEqualTo("admin /");
        }
    }

    @Test
    void otherHostsGoByTheLongestPathPrefix() throws IOException {
        try (RawHttp c = porter.connect()) {
            assertThat(get(c, "www.example", "/app/x?q=1").bodyText()).isEqualTo("app /app/x?q=1");
            assertThat(get(c, "www.example", "/app/public/logo.png").bodyText()).isEqualTo("admin /app/public/logo.png");
        }
    }

    @Test
    void noMatchingRouteIs404FromPorterAndTheConnectionStaysUsable() throws IOException {
        int appBefore = app.received().size();
        int adminBefore = admin.received().size();
        try (RawHttp c = porter.connect()) {
            RawHttp.Response r = get(c, "www.example", "/elsewhere");
            assertThat(r.status).isEqualTo(404);
            assertThat(r.header("connection")).isNotEqualTo("close");

            assertThat(get(c, "www.example", "/app/after").bodyText()).isEqualTo("app /app/after");
        }
        assertThat(admin.received()).hasSize(adminBefore);
        assertThat(app.received()).hasSize(appBefore + 1);
    }

    @Test
    void setHeadersReplaceAndRemoveHeadersDropWhatTheClientSent() throws IOException {
        try (RawHttp c = porter.connect()) {
            assertThat(get(c, "admin.example", "/h").status).isEqualTo(200);
        }
        Received r = last(admin);
        assertThat(r.header("host")).isEqualTo("admin.internal");
        assertThat(r.header("x-route")).isEqualTo("admin");
        assertThat(r.header("x-secret")).isNull();
        assertThat(r.header("x-keep")).isEqualTo("yes");
        // The original Host is still told, as X-Forwarded-Host.
        assertThat(r.header("x-forwarded-host")).isEqualTo("admin.example");
    }

    @Test
    void headerEditsBelongToTheirRouteOnly() throws IOException {
        try (RawHttp c = porter.connect()) {
            assertThat(get(c, "www.example", "/app/public/x").status).isEqualTo(200);
        }
        Received r = last(admin);
        assertThat(r.header("x-secret")).as("this route removes nothing").isEqualTo("s3cr3t");
        assertThat(r.header("x-route")).isNull();
        assertThat(r.header("host")).isEqualTo("www.example");
    }
}

package dev.porter.server;

import dev.porter.config.RouteConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {
    private static RouteConfig route(String host, String prefix, String upstream) {
        return new RouteConfig(host, prefix, upstream, Map.of(), List.of());
    }

    private final Router router = new Router(List.of(
            route("", "/", "default"),
            route("", "/api/", "api"),
            route("admin.example", "/", "admin")));

    @Test
    void longestPrefixWins() {
        assertThat(router.route("x", "/api/users?id=1").upstream()).isEqualTo("api");
        assertThat(router.route("x", "/apix").upstream()).isEqualTo("default");
    }

    @Test
    void routesNamingAHostWinAndThePortIsIgnored() {
        assertThat(router.route("Admin.Example:8000", "/api/x").upstream()).isEqualTo("admin");
    }

    @Test
    void absoluteFormTargetsAreMatchedOnTheirPath() {
        assertThat(router.route("x", "http://x/api/a").upstream()).isEqualTo("api");
    }

    @Test
    void noMatchIsNull() {
        assertThat(new Router(List.of(route("", "/only/", "a"))).route("x", "/other")).isNull();
    }
}

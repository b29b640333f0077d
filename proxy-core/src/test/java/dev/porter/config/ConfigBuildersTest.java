package dev.porter.config;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The builders give what {@link ConfigLoader} gives for the same settings written in HOCON: their
 * defaults are reference.conf's, and each setter changes its own setting only.
 */
class ConfigBuildersTest {
    private static final InetSocketAddress LISTEN = new InetSocketAddress("127.0.0.1", 8000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 8080);
    private static final InetSocketAddress SECOND = new InetSocketAddress("127.0.0.1", 8081);

    /** Everything but the write buffer, whose Netty type has no equals. */
    private static void assertSameConfiguration(ProxyConfig built, ProxyConfig loaded) {
        assertThat(built.workers()).isEqualTo(loaded.workers());
        assertThat(built.listeners()).isEqualTo(loaded.listeners());
        assertThat(built.upstreams()).isEqualTo(loaded.upstreams());
        assertThat(built.routes()).isEqualTo(loaded.routes());
        assertThat(built.writeBuffer().high()).isEqualTo(loaded.writeBuffer().high());
        assertThat(built.writeBuffer().low()).isEqualTo(loaded.writeBuffer().low());
        assertThat(built.admin()).isEqualTo(loaded.admin());
        assertThat(built.accessLog()).isEqualTo(loaded.accessLog());
        assertThat(built.shutdownTimeout()).isEqualTo(loaded.shutdownTimeout());
    }

    @Test
    void buildersStartFromReferenceConfsDefaults() {
        ProxyConfig loaded = ConfigLoader.parse("""
                porter {
                  listeners = [ { address = "127.0.0.1:8000" } ]
                  upstreams { app { servers = [ { address = "127.0.0.1:8080" } ] } }
                  routes = [ { upstream = app } ]
                }
                """, "porter.conf");

        ProxyConfig built = ProxyConfig.builder()
                .listener(ListenerConfig.builder(LISTEN).build())
                .upstream(UpstreamConfig.builder("app").server(SERVER).build())
                .route(RouteConfig.builder("app").build())
                .build();

        assertSameConfiguration(built, loaded);
    }

    @Test
    void eachSetterChangesItsOwnSetting() {
        ProxyConfig loaded = ConfigLoader.parse("""
                porter {
                  workers = 3
                  listeners = [ { address = "127.0.0.1:8000", client-header-timeout = 300ms, keepalive-requests = 10,
                                  close-initiator = client, max-body-size = 0, rate-per-ip = 5, rate-burst = 2 } ]
                  upstreams {
                    app {
                      servers = [ { address = "127.0.0.1:8080", weight = 5, max-fails = 2, fail-timeout = 60s },
                                  { address = "127.0.0.1:8081", max-conns = 8 } ]
                      balance = least-conn
                      keepalive = 4
                      keepalive-timeout = 5s
                      http-version = "1.0"
                      close-initiator = upstream
                      next-upstream = [error, http_503]
                      port-budget-guard = off
                    }
                  }
                  routes = [ { host = "api.example.com", path-prefix = "/api", upstream = app,
                               set-headers { Host = "app.internal" }, remove-headers = [X-Debug] } ]
                  write-buffer { high = 256k, low = 32k }
                  admin.enabled = false
                  access-log.path = stdout
                  shutdown-timeout = 1s
                }
                """, "porter.conf");

        ProxyConfig built = ProxyConfig.builder()
                .workers(3)
                .listener(ListenerConfig.builder(LISTEN)
                        .clientHeaderTimeout(Duration.ofMillis(300))
                        .keepaliveRequests(10)
                        .closeInitiator(CloseInitiator.PEER)
                        .maxBodySize(0)
                        .ratePerIp(5)
                        .rateBurst(2)
                        .build())
                .upstream(UpstreamConfig.builder("app")
                        .server(ServerConfig.builder(SERVER).weight(5).maxFails(2).failTimeout(Duration.ofSeconds(60)).build())
                        .server(ServerConfig.builder(SECOND).maxConns(8).build())
                        .balance(Balance.LEAST_CONN)
                        .keepalive(4)
                        .keepaliveTimeout(Duration.ofSeconds(5))
                        .httpVersion(UpstreamHttpVersion.HTTP_1_0)
                        .closeInitiator(CloseInitiator.PEER)
                        .nextUpstream(EnumSet.of(NextUpstream.ERROR, NextUpstream.HTTP_503))
                        .portBudgetGuard(0)
                        .build())
                .route(RouteConfig.builder("app")
                        .host("api.example.com")
                        .pathPrefix("/api")
                        .setHeader("Host", "app.internal")
                        .removeHeader("X-Debug")
                        .build())
                .writeBuffer(new io.netty.channel.WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .admin(new AdminConfig(false, null))
                .accessLog(new AccessLogConfig("stdout"))
                .shutdownTimeout(Duration.ofSeconds(1))
                .build();

        assertSameConfiguration(built, loaded);
    }

    @Test
    void toBuilderStartsFromTheRecordItIsCalledOn() {
        UpstreamConfig app = UpstreamConfig.builder("app").server(SERVER).keepalive(4).build();

        assertThat(app.toBuilder().build()).isEqualTo(app);
        UpstreamConfig renamed = app.toBuilder().name("other").build();
        assertThat(renamed.name()).isEqualTo("other");
        assertThat(renamed.toBuilder().name("app").build()).isEqualTo(app);
        ListenerConfig listener = ListenerConfig.builder(LISTEN).reusePort(true).build();
        assertThat(listener.withTls(null)).isEqualTo(listener);
    }

    @Test
    void aServerIsNamedByItsAddressAsAFileWouldWriteIt() {
        assertThat(ServerConfig.builder(SERVER).build().name()).isEqualTo("127.0.0.1:8080");
        // An IPv6 literal comes back in Java's long form; bracketed, as host:port needs.
        assertThat(ServerConfig.builder(new InetSocketAddress("::1", 8080)).build().name())
                .isEqualTo("[0:0:0:0:0:0:0:1]:8080");
        assertThat(ServerConfig.builder(SERVER).name("app-1").build().name()).isEqualTo("app-1");
    }
}

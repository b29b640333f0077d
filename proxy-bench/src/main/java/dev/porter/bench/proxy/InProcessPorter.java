package dev.porter.bench.proxy;

import dev.porter.Porter;
import dev.porter.config.AdminConfig;
import dev.porter.config.CloseInitiator;
import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.config.RouteConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.config.UpstreamHttpVersion;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Porter inside the bench's JVM, through proxy-core's API: what the integration test uses,
 * since it needs no built porter.jar and no fixed ports (listener port 0). Its configuration is
 * built in code, the same one {@link PorterConfigWriter} writes for a Porter process.
 */
public final class InProcessPorter implements RunningProxy {
    /** The group's name, as {@link PorterConfigWriter} writes it. */
    private static final String GROUP = "app";

    private final Porter porter;

    private InProcessPorter(Porter porter) {
        this.porter = porter;
    }

    /** Starts Porter with {@code settings}. */
    public static InProcessPorter start(PorterSettings settings) {
        return new InProcessPorter(Porter.start(config(settings)));
    }

    /** What {@link PorterConfigWriter#write} says for {@code s}, without going through HOCON. */
    static ProxyConfig config(PorterSettings s) {
        if (s.tls() != null) {
            // only the integration test runs Porter in-process, over plain HTTP; --tls runs a Porter process
            throw new IllegalArgumentException("in-process Porter listens on plain HTTP; TLS runs through a Porter process");
        }
        UpstreamConfig.Builder group = UpstreamConfig.builder(GROUP)
                .server(ServerConfig.builder(s.upstream()).name(PorterConfigWriter.hostPort(s.upstream())).build());
        PoolKeys pool = s.pool();
        if (pool != null) {
            group.keepalive(pool.keepalive())
                    .keepaliveRequests(pool.keepaliveRequests())
                    // The writer pins it, so that a change of the shipped default does not move the bench.
                    .keepaliveTimeout(Duration.ofSeconds(15))
                    .httpVersion(httpVersion(pool.httpVersion()))
                    .closeInitiator(closeInitiator(pool.closeInitiator()));
            if (pool.portBudgetGuard() != null) {
                group.portBudgetGuard(pool.portBudgetGuard().equals("off") ? 0
                        : Integer.parseInt(pool.portBudgetGuard().replace("%", "").trim()));
            }
        }
        if (!s.sourceAddresses().isEmpty()) {
            group.sourceAddresses(s.sourceAddresses().stream().map(InProcessPorter::address).toList());
        }
        UpstreamConfig app = group.build();
        return ProxyConfig.builder()
                .workers(s.workers())
                .listener(ListenerConfig.builder(s.listen()).build())
                .upstream(app)
                .route(RouteConfig.builder(GROUP).pathPrefix("/").build())
                .admin(s.admin() != null ? new AdminConfig(true, s.admin()) : new AdminConfig(false, null))
                .build();
    }

    private static java.net.InetAddress address(String literal) {
        try {
            return java.net.InetAddress.getByName(literal); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }

    private static UpstreamHttpVersion httpVersion(String v) {
        return switch (v) {
            case "1.1" -> UpstreamHttpVersion.HTTP_1_1;
            case "1.0" -> UpstreamHttpVersion.HTTP_1_0;
            default -> throw new IllegalArgumentException("http-version must be \"1.1\" or \"1.0\", was \"" + v + "\"");
        };
    }

    /** The upstream leg's words: proxy, upstream, reset. */
    private static CloseInitiator closeInitiator(String v) {
        return switch (v) {
            case "proxy" -> CloseInitiator.PROXY;
            case "upstream" -> CloseInitiator.PEER;
            case "reset" -> CloseInitiator.RESET;
            default -> throw new IllegalArgumentException("close-initiator must be proxy, upstream or reset, was \"" + v + "\"");
        };
    }

    @Override
    public InetSocketAddress address() {
        return porter.listenAddresses().get(0);
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public String transport() {
        return porter.transportName();
    }

    @Override
    public void close() {
        porter.shutdownGracefully(Duration.ZERO);
    }
}

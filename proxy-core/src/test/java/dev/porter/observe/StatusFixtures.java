package dev.porter.observe;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.tcp.LocalPortRange;
import dev.porter.tcp.TcpCensus;
import dev.porter.tcp.TcpSocket;
import dev.porter.tcp.TcpState;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Made-up inputs for {@link StatusView} and {@link PorterMeters}: two workers, one upstream
 * {@code app} with one server 127.0.0.1:8080, a listener on 127.0.0.1:8000.
 */
final class StatusFixtures {
    static final String SERVER = "127.0.0.1:8080";
    static final InetSocketAddress SERVER_ADDRESS = addr("127.0.0.1", 8080);
    static final InetSocketAddress LISTENER = addr("127.0.0.1", 8000);

    private StatusFixtures() {
    }

    static ProxyConfig config() {
        return ProxyConfig.builder()
                .workers(2)
                .listener(ListenerConfig.builder(LISTENER).build())
                .upstream(UpstreamConfig.builder("app").server(SERVER_ADDRESS).keepalive(4).build())
                .route(RouteConfig.builder("app").build())
                .build();
    }

    static ClientSnapshot client(int worker, long requests) {
        return new ClientSnapshot(worker, 4, 1, 2, 5, requests, 0, requests - 1, 0, 0, 1, 1, 2);
    }

    static PoolSnapshot pool(int worker, long opened, Map<String, Long> connectErrors) {
        return new PoolSnapshot(worker, "app", SERVER, 2, 1, 1, 3, 3, opened, 100, 100 - opened, 4,
                Map.of(ClosedBy.PROXY, opened - 1, ClosedBy.UPSTREAM, 1L, ClosedBy.RESET, 0L),
                Map.of(CloseReason.IDLE_TIMEOUT, opened - 1, CloseReason.UPSTREAM_CLOSE, 1L),
                worker, connectErrors, 1, 2);
    }

    /** Two proxy-side sockets toward the server (one ESTABLISHED, one TIME_WAIT) and one client. */
    static TcpCensus census() {
        List<TcpSocket> sockets = List.of(
                new TcpSocket(LISTENER, addr("0.0.0.0", 0), TcpState.LISTEN),
                new TcpSocket(LISTENER, addr("127.0.0.1", 40000), TcpState.ESTABLISHED),
                new TcpSocket(addr("127.0.0.1", 50001), SERVER_ADDRESS, TcpState.ESTABLISHED),
                new TcpSocket(addr("127.0.0.1", 50002), SERVER_ADDRESS, TcpState.TIME_WAIT));
        return TcpCensus.of(sockets, List.of(LISTENER), List.of(SERVER_ADDRESS), new LocalPortRange(32768, 60999));
    }

    static InetSocketAddress addr(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

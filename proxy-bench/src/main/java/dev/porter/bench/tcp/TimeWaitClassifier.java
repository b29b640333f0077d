package dev.porter.bench.tcp;

import dev.porter.tcp.LocalPortRange;
import dev.porter.tcp.TcpCensus;
import dev.porter.tcp.TcpSocket;
import dev.porter.tcp.TcpState;
import dev.porter.tcp.UpstreamLeg;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Sorts TIME_WAIT sockets into the three places the incidents care about, given the
 * backend's listen address and the proxy's listen port, through proxy-core's
 * {@link TcpCensus} (the sorting Porter's {@code /status} does), plus the load generator's
 * own ends of the client leg, which a proxy's census does not count.
 *
 * <p>A socket is counted once per matching side: when the load generator talks to the
 * backend directly the backend's port is also the "proxy" port, and its sockets count on
 * the client leg as well as on the upstream side.
 */
public record TimeWaitClassifier(InetSocketAddress upstream, int proxyPort) {
    // The census measures port use against a range; the bench reads only state counts from it.
    private static final LocalPortRange ANY_PORT = new LocalPortRange(1, 65535);

    public TimeWaitCounts classify(List<TcpSocket> sockets) {
        // a wildcard listener: the proxy's end on any local address of its port, IPv4 or IPv6
        TcpCensus census = TcpCensus.of(sockets, List.of(new InetSocketAddress("0.0.0.0", proxyPort)),
                List.of(upstream), ANY_PORT);
        UpstreamLeg leg = census.upstream(upstream);
        int clientEnds = 0;
        for (TcpSocket s : sockets) {
            if (s.state() == TcpState.TIME_WAIT && s.remote().getPort() == proxyPort
                    && s.local().getPort() != proxyPort) {
                clientEnds++;
            }
        }
        return new TimeWaitCounts(leg.proxySide().count(TcpState.TIME_WAIT),
                leg.upstreamSide().count(TcpState.TIME_WAIT),
                census.client().count(TcpState.TIME_WAIT) + clientEnds);
    }
}

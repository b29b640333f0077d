package dev.porter.bench.tcp;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Sorts TIME_WAIT sockets into the three places the incidents care about, given the
 * backend's listen address and the proxy's listen port.
 *
 * <p>A socket is counted once per matching side: when the load generator talks to the
 * backend directly the backend's port is also the "proxy" port, and its sockets count on
 * the client leg as well as on the upstream side.
 */
public record TimeWaitClassifier(InetSocketAddress upstream, int proxyPort) {

    public TimeWaitCounts classify(List<TcpEntry> entries) {
        int proxySide = 0;
        int upstreamSide = 0;
        int clientLeg = 0;
        for (TcpEntry e : entries) {
            if (!e.isTimeWait()) {
                continue;
            }
            if (e.remote().equals(upstream)) {
                proxySide++;
            }
            if (e.local().equals(upstream)) {
                upstreamSide++;
            }
            if (e.local().getPort() == proxyPort || e.remote().getPort() == proxyPort) {
                clientLeg++;
            }
        }
        return new TimeWaitCounts(proxySide, upstreamSide, clientLeg);
    }
}

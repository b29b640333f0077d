package dev.porter.tcp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The sockets of a network namespace sorted into the proxy's legs and counted by state:
 * the client leg (sockets on a listener's address) and, per upstream server, an
 * {@link UpstreamLeg}. This is the "where is TIME_WAIT" answer of {@code /status} and of the
 * benchmark's reports.
 *
 * <p>A pure function of its inputs: {@link #of} does no I/O, so the caller reads the tables
 * with {@link ProcNetTcp} and {@link LocalPortRange} off the event loops and passes them in.
 * Sockets are matched by address only, so sockets of other processes in the same namespace
 * that use the same addresses (a load generator connecting straight to the upstream) are
 * counted too. A socket may belong to several legs, e.g. when an upstream is the proxy itself.
 *
 * <p>Immutable; usable from any thread.
 */
public final class TcpCensus {
    private final StateCounts client;
    private final Map<InetSocketAddress, UpstreamLeg> upstreams;
    private final LocalPortRange portRange;

    private TcpCensus(StateCounts client, Map<InetSocketAddress, UpstreamLeg> upstreams, LocalPortRange portRange) {
        this.client = client;
        this.upstreams = upstreams;
        this.portRange = portRange;
    }

    /**
     * Sorts {@code sockets} into legs.
     *
     * @param sockets   the namespace's sockets, as {@link ProcNetTcp#read} returns them
     * @param listeners the addresses the proxy accepts clients on; a wildcard address
     *                  ({@code 0.0.0.0} or {@code ::}) matches every local address on its port
     * @param upstreams the upstream servers' addresses
     * @param range     the local port range, the budget each upstream's {@code portsHeld} is
     *                  measured against
     * @throws IllegalArgumentException if a listener or upstream address is unresolved; a
     *                                  socket's address is always numeric, so it could never match
     */
    public static TcpCensus of(
            List<TcpSocket> sockets,
            Collection<InetSocketAddress> listeners,
            Collection<InetSocketAddress> upstreams,
            LocalPortRange range) {
        Objects.requireNonNull(range, "range");
        List<InetSocketAddress> listenerList = resolved(listeners, "listener");

        // Keyed by address; lookups by a socket's remote and local address keep this linear in
        // the number of sockets, which may be tens of thousands in an incident.
        Map<InetSocketAddress, UpstreamTally> tallies = new LinkedHashMap<>();
        for (InetSocketAddress upstream : resolved(upstreams, "upstream")) {
            tallies.putIfAbsent(upstream, new UpstreamTally());
        }

        StateCounts.Builder client = new StateCounts.Builder();
        for (TcpSocket s : sockets) {
            if (isClientLeg(s, listenerList)) {
                client.add(s.state());
            }
            UpstreamTally toward = tallies.get(s.remote());
            if (toward != null) {
                toward.proxySide.add(s.state());
                if (s.state() != TcpState.LISTEN) {
                    // Address and port: with several source addresses one port number is held once per address.
                    toward.localPorts.add(s.local());
                }
            }
            UpstreamTally own = tallies.get(s.local());
            if (own != null) {
                own.upstreamSide.add(s.state());
            }
        }

        Map<InetSocketAddress, UpstreamLeg> legs = new LinkedHashMap<>();
        tallies.forEach((server, t) -> legs.put(server, new UpstreamLeg(
                server, t.proxySide.build(), t.upstreamSide.build(), t.localPorts.size(), range.size())));
        return new TcpCensus(client.build(), Collections.unmodifiableMap(legs), range);
    }

    /** Counts by state of the client leg, the listening sockets themselves included. */
    public StateCounts client() {
        return client;
    }

    /** One leg per distinct upstream address, in the order they were given; unmodifiable. */
    public Map<InetSocketAddress, UpstreamLeg> upstreams() {
        return upstreams;
    }

    /**
     * The leg toward {@code server}.
     *
     * @throws IllegalArgumentException if {@code server} was not one of the census's upstreams
     */
    public UpstreamLeg upstream(InetSocketAddress server) {
        UpstreamLeg leg = upstreams.get(server);
        if (leg == null) {
            throw new IllegalArgumentException("not an upstream of this census: " + server);
        }
        return leg;
    }

    /** The local port range the census measured port use against. */
    public LocalPortRange portRange() {
        return portRange;
    }

    /** The local port range's size: how many ports each upstream may hold. */
    public int portBudget() {
        return portRange.size();
    }

    @Override
    public String toString() {
        return "TcpCensus{client=" + client + ", upstreams=" + upstreams.values() + ", portRange=" + portRange + '}';
    }

    private static boolean isClientLeg(TcpSocket s, List<InetSocketAddress> listeners) {
        InetSocketAddress local = s.local();
        for (InetSocketAddress l : listeners) {
            if (l.getPort() == local.getPort()
                    && (l.getAddress().isAnyLocalAddress() || l.getAddress().equals(local.getAddress()))) {
                return true;
            }
        }
        return false;
    }

    private static List<InetSocketAddress> resolved(Collection<InetSocketAddress> addresses, String what) {
        List<InetSocketAddress> out = new ArrayList<>(addresses.size());
        for (InetSocketAddress a : addresses) {
            if (a.isUnresolved()) {
                throw new IllegalArgumentException(what + " address is unresolved: " + a);
            }
            out.add(a); // equality ignores any host name, so keys match the sockets' numeric addresses
        }
        return out;
    }

    /** Mutable counts for one upstream; confined to one {@link #of} call. */
    private static final class UpstreamTally {
        final StateCounts.Builder proxySide = new StateCounts.Builder();
        final StateCounts.Builder upstreamSide = new StateCounts.Builder();
        final Set<InetSocketAddress> localPorts = new HashSet<>();
    }
}

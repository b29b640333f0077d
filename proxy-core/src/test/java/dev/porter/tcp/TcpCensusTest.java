package dev.porter.tcp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.porter.tcp.TcpFixtures.addr;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

class TcpCensusTest {
    private static final InetSocketAddress TOMCAT = addr("10.0.0.20", 8080);
    private static final InetSocketAddress V6_UPSTREAM = addr("2001:db8::20", 8080);
    private static final InetSocketAddress IDLE_UPSTREAM = addr("10.0.0.21", 8080);
    private static final List<InetSocketAddress> LISTENERS =
            List.of(addr("0.0.0.0", 8000), addr("127.0.0.1", 8001), addr("::", 8443));
    private static final LocalPortRange TEN_PORTS = new LocalPortRange(40000, 40009);

    private static List<TcpSocket> sockets;

    @BeforeAll
    static void parseFixtures() throws IOException {
        sockets = new ArrayList<>(ProcNetTcp.parse(TcpFixtures.table("tcp"), LITTLE_ENDIAN));
        sockets.addAll(ProcNetTcp.parse(TcpFixtures.table("tcp6"), LITTLE_ENDIAN));
    }

    private static TcpCensus census() {
        return TcpCensus.of(sockets, LISTENERS, List.of(TOMCAT, V6_UPSTREAM, IDLE_UPSTREAM), TEN_PORTS);
    }

    @Test
    void clientLegCountsSocketsOnListenerPortsOfMatchingOrWildcardAddresses() {
        StateCounts client = census().client();

        // LISTEN: 0.0.0.0:8000, 127.0.0.1:8001, [::]:8443. ESTABLISHED: 10.0.0.5:8000 through the
        // v4 wildcard, [2001:db8::1]:8443 and mapped 10.0.0.5:8443 through the v6 one.
        assertThat(client.asMap()).containsExactly(
                entry(TcpState.ESTABLISHED, 3), entry(TcpState.TIME_WAIT, 1), entry(TcpState.LISTEN, 3));
        assertThat(client.total()).isEqualTo(7);
    }

    @Test
    void specificListenerAddressDoesNotClaimOtherAddressesOnItsPort() {
        // 127.0.0.2:8001 is on the port of the 127.0.0.1:8001 listener but not its address.
        TcpCensus onlySpecific = TcpCensus.of(sockets, List.of(addr("127.0.0.1", 8001)), List.of(), TEN_PORTS);
        assertThat(onlySpecific.client().asMap()).containsExactly(entry(TcpState.LISTEN, 1));

        TcpCensus wildcard = TcpCensus.of(sockets, List.of(addr("0.0.0.0", 8001)), List.of(), TEN_PORTS);
        assertThat(wildcard.client().asMap()).containsExactly(entry(TcpState.ESTABLISHED, 1), entry(TcpState.LISTEN, 1));
    }

    @Test
    void proxySideAndUpstreamSideTimeWaitAreCountedApart() {
        UpstreamLeg tomcat = census().upstream(TOMCAT);

        // Proxy side: the v4 sockets plus the dual-stack ones from tcp6 with mapped addresses.
        assertThat(tomcat.proxySide().count(TcpState.TIME_WAIT)).isEqualTo(4);
        assertThat(tomcat.proxySide().count(TcpState.ESTABLISHED)).isEqualTo(2);
        assertThat(tomcat.proxySide().count(TcpState.LISTEN)).isZero();
        // Tomcat's own ends: where TIME_WAIT lands when it closes first, plus its listener.
        assertThat(tomcat.upstreamSide().asMap()).containsExactly(
                entry(TcpState.ESTABLISHED, 1), entry(TcpState.TIME_WAIT, 1), entry(TcpState.LISTEN, 1));
    }

    @Test
    void portsHeldCountsDistinctLocalAddressAndPortPairsTowardTheUpstreamAgainstTheRange() {
        UpstreamLeg tomcat = census().upstream(TOMCAT);

        // 40000, 40001 (held from two source addresses: each address has a range of its own, so
        // it counts twice), 40002, 40004, 40005; 40003 is Tomcat's peer port, not one of the
        // proxy's sockets toward it.
        assertThat(tomcat.portsHeld()).isEqualTo(6);
        assertThat(tomcat.portBudget()).isEqualTo(10);
        assertThat(tomcat.portBudgetUsedPercent()).isCloseTo(60.0, within(1e-9));
    }

    @Test
    void listenSocketsAreNotPortsHeld() {
        // Not a socket the kernel would show, but the rule is: LISTEN never holds an ephemeral port.
        TcpSocket odd = new TcpSocket(addr("10.0.0.5", 40007), TOMCAT, TcpState.LISTEN);
        TcpSocket closing = new TcpSocket(addr("10.0.0.5", 40008), TOMCAT, TcpState.FIN_WAIT2);
        UpstreamLeg leg = TcpCensus.of(List.of(odd, closing), List.of(), List.of(TOMCAT), TEN_PORTS).upstream(TOMCAT);

        assertThat(leg.proxySide().asMap()).containsExactly(entry(TcpState.FIN_WAIT2, 1), entry(TcpState.LISTEN, 1));
        assertThat(leg.portsHeld()).isEqualTo(1);
        assertThat(leg.portBudgetUsedPercent()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void ipv6UpstreamAndUpstreamWithoutSocketsGetTheirOwnLegs() {
        TcpCensus census = census();

        assertThat(census.upstreams().keySet()).containsExactly(TOMCAT, V6_UPSTREAM, IDLE_UPSTREAM);
        assertThat(census.upstream(V6_UPSTREAM).proxySide().asMap()).containsExactly(entry(TcpState.SYN_SENT, 1));
        assertThat(census.upstream(V6_UPSTREAM).portsHeld()).isEqualTo(1);
        UpstreamLeg idle = census.upstream(IDLE_UPSTREAM);
        assertThat(idle.proxySide().asMap()).isEmpty();
        assertThat(idle.upstreamSide().total()).isZero();
        assertThat(idle.portsHeld()).isZero();
        assertThat(idle.portBudgetUsedPercent()).isZero();
    }

    @Test
    void resultIsImmutable() {
        TcpCensus census = census();

        assertThat(census.portBudget()).isEqualTo(10);
        assertThat(census.portRange()).isEqualTo(TEN_PORTS);
        assertThat(census.upstreams()).isUnmodifiable();
        assertThat(census.client().asMap()).isUnmodifiable();
        assertThat(census.upstream(TOMCAT).proxySide().asMap()).isUnmodifiable();
        Map<TcpState, Integer> before = census.client().asMap();
        sockets.add(new TcpSocket(addr("10.0.0.5", 8000), addr("10.0.0.9", 51009), TcpState.ESTABLISHED));
        try {
            assertThat(before.get(TcpState.ESTABLISHED)).isEqualTo(3);
        } finally {
            sockets.remove(sockets.size() - 1);
        }
    }

    @Test
    void emptyTablesCountNothing() {
        TcpCensus census = TcpCensus.of(List.of(), LISTENERS, List.of(TOMCAT), TEN_PORTS);
        assertThat(census.client().asMap()).isEmpty();
        assertThat(census.client().count(TcpState.TIME_WAIT)).isZero();
        assertThat(census.upstream(TOMCAT).portsHeld()).isZero();
    }

    @Test
    void unresolvedAddressesAndUnknownUpstreamsAreRefused() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("tomcat.internal", 8080);
        assertThatThrownBy(() -> TcpCensus.of(sockets, LISTENERS, List.of(unresolved), TEN_PORTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unresolved");
        assertThatThrownBy(() -> census().upstream(addr("10.0.0.99", 80)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.porter.bench.tcp;

import dev.porter.tcp.ProcNetTcp;
import dev.porter.tcp.TcpSocket;
import dev.porter.tcp.TcpState;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeWaitClassifierTest {
    // Tomcat on 127.0.0.1:8080 (0x1F90), Porter listening on 8000 (0x1F40); 06 = TIME_WAIT, 01 = ESTABLISHED
    private static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
               1: 0100007F:9C40 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
               2: 0100007F:9C41 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
               3: 0100007F:1F90 0100007F:9C42 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
               4: 0100007F:1F40 0100007F:A000 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
               5: 0100007F:A001 0100007F:1F40 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
               6: 0100007F:9C43 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 5 1 0000000000000000 20 4 30 10 -1
               7: 0100007F:9C44 0200007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
            """;
    // ::ffff:127.0.0.1 port 8080 in TIME_WAIT toward a client port 0x9C45: an IPv4-mapped IPv6 row
    private static final String TCP6 = """
              sl  local_address                         remote_address                        st
               0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:9C45 06 00000000:00000000
               1: 00000000000000000000000001000000:1F40 00000000000000000000000001000000:B000 06 00000000:00000000
            """;

    private final TimeWaitClassifier classifier = new TimeWaitClassifier(new InetSocketAddress("127.0.0.1", 8080), 8000);

    @Test
    void timeWaitTowardTomcatCountsOnTheProxySideAndTomcatsOwnOnTheUpstreamSide() {
        TimeWaitCounts c = classifier.classify(ProcNetTcp.parse(TCP));

        assertThat(c.proxySide()).isEqualTo(2);
        assertThat(c.upstreamSide()).isEqualTo(1);
        assertThat(c.clientLeg()).isEqualTo(2);
    }

    @Test
    void establishedAndListeningSocketsAndOtherHostsAreNotCounted() {
        List<TcpSocket> entries = ProcNetTcp.parse(TCP);

        assertThat(entries).hasSize(8);
        assertThat(entries.get(0).state()).isEqualTo(TcpState.LISTEN);
        // 127.0.0.2:8080 is another address, not Tomcat's
        assertThat(entries.get(7).remote()).isEqualTo(new InetSocketAddress("127.0.0.2", 8080));
    }

    @Test
    void ipv4MappedRowsOfTcp6CompareEqualToIpv4AndIpv6LoopbackCountsOnTheClientLeg() {
        List<TcpSocket> entries = ProcNetTcp.parse(TCP6);

        assertThat(entries.get(0).local()).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
        assertThat(entries.get(1).local()).isEqualTo(new InetSocketAddress("::1", 8000));
        assertThat(classifier.classify(entries)).isEqualTo(new TimeWaitCounts(0, 1, 1));
    }

    @Test
    void aLineThatIsNotASocketIsReportedNotCounted() {
        assertThatThrownBy(() -> ProcNetTcp.parse("  0: garbage\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplerRecordsTimelineFromTheTableAndTakesALastSampleAtClose() {
        List<TcpSocket> entries = ProcNetTcp.parse(TCP);
        TimeWaitSampler sampler = new TimeWaitSampler(() -> entries, classifier, () -> 42, 10_000);

        sampler.start();
        sampler.close();

        assertThat(sampler.timeline()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.requests()).isEqualTo(42);
            assertThat(p.proxySide()).isEqualTo(2);
        });
        assertThat(TimeWaitSampler.max(sampler.timeline(), TimelinePoint::upstreamSide)).isEqualTo(1);
    }

    @Test
    void anUnreadableTableGivesUnknownNotZero() {
        TimeWaitSampler sampler = new TimeWaitSampler(() -> {
            throw new java.io.IOException("no /proc");
        }, classifier, () -> 0, 10_000);

        sampler.start();
        sampler.close();

        assertThat(TimeWaitSampler.max(sampler.timeline(), TimelinePoint::proxySide)).isNull();
    }
}

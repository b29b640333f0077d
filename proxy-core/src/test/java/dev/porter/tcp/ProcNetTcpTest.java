package dev.porter.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static dev.porter.tcp.TcpFixtures.addr;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcNetTcpTest {
    private static final String V4_HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    @Test
    void ipv4TableParsesListenEstablishedAndTimeWaitLinesAndSkipsTheHeader() throws IOException {
        List<TcpSocket> sockets = ProcNetTcp.parse(TcpFixtures.table("tcp"), LITTLE_ENDIAN);

        assertThat(sockets).hasSize(13);
        assertThat(sockets.get(0)).isEqualTo(
                new TcpSocket(addr("0.0.0.0", 8000), addr("0.0.0.0", 0), TcpState.LISTEN));
        assertThat(sockets.get(1)).isEqualTo(
                new TcpSocket(addr("127.0.0.1", 8001), addr("0.0.0.0", 0), TcpState.LISTEN));
        assertThat(sockets.get(3)).isEqualTo(
                new TcpSocket(addr("10.0.0.5", 40000), addr("10.0.0.20", 8080), TcpState.ESTABLISHED));
        // A TIME_WAIT line is shorter (no inode, no timers): only the first four columns matter.
        assertThat(sockets.get(5)).isEqualTo(
                new TcpSocket(addr("10.0.0.5", 40001), addr("10.0.0.20", 8080), TcpState.TIME_WAIT));
        assertThat(sockets.get(11).local().getPort()).isEqualTo(22);
    }

    @Test
    void ipv6TableParsesNativeAndWildcardAddresses() throws IOException {
        List<TcpSocket> sockets = ProcNetTcp.parse(TcpFixtures.table("tcp6"), LITTLE_ENDIAN);

        assertThat(sockets).hasSize(6);
        TcpSocket listen = sockets.get(0);
        assertThat(listen.local().getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(listen.local().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(listen.local().getPort()).isEqualTo(8443);
        assertThat(listen.state()).isEqualTo(TcpState.LISTEN);
        assertThat(sockets.get(1)).isEqualTo(
                new TcpSocket(addr("2001:db8::1", 8443), addr("2001:db8::2", 50000), TcpState.ESTABLISHED));
        assertThat(sockets.get(5)).isEqualTo(
                new TcpSocket(addr("2001:db8::1", 40006), addr("2001:db8::20", 8080), TcpState.SYN_SENT));
    }

    @Test
    void ipv4MappedIpv6AddressBecomesAPlainIpv4AddressEqualToTheConfigOne() throws IOException {
        List<TcpSocket> sockets = ProcNetTcp.parse(TcpFixtures.table("tcp6"), LITTLE_ENDIAN);

        TcpSocket mapped = sockets.get(4);
        assertThat(mapped.local().getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(mapped.remote().getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(mapped).isEqualTo(
                new TcpSocket(addr("10.0.0.5", 40005), addr("10.0.0.20", 8080), TcpState.TIME_WAIT));
    }

    @Test
    void singleMappedLineFromTheKernelParses() {
        String line = "   3: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D431 01"
                + " 00000000:00000000 00:00000000 00000000  1000        0 123456 1 0000000000000000 20 4 30 10 -1\n";
        assertThat(ProcNetTcp.parse(line, LITTLE_ENDIAN)).containsExactly(
                new TcpSocket(addr("127.0.0.1", 8080), addr("127.0.0.1", 54321), TcpState.ESTABLISHED));
    }

    @Test
    void bigEndianHostPrintsAddressWordsInNetworkOrder() {
        String text = V4_HEADER + "   0: 7F000001:1F90 0A000014:9C40 06 00000000:00000000 03:00000E6F 00000000     0        0 0 3 0000000000000000\n";
        assertThat(ProcNetTcp.parse(text, ByteOrder.BIG_ENDIAN)).containsExactly(
                new TcpSocket(addr("127.0.0.1", 8080), addr("10.0.0.20", 40000), TcpState.TIME_WAIT));
    }

    @Test
    void headerOnlyOrEmptyTableHasNoSockets() {
        assertThat(ProcNetTcp.parse(V4_HEADER)).isEmpty();
        assertThat(ProcNetTcp.parse("")).isEmpty();
    }

    @Test
    void aConnectedSocketListedTwiceIsCountedOnceButListenersSharingAnAddressAreKept() {
        // The kernel can list a socket twice in one read (a page written while connections come
        // and go); two listeners on one address (SO_REUSEPORT) are two sockets.
        String listen = " 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0\n";
        String established = " 0100007F:1F90 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0\n";
        String timeWait = " 0100007F:9C41 0100007F:1F90 06 00000000:00000000 00:00000000 00000000     0        0 3 1 0\n";
        String text = V4_HEADER + "   0:" + listen + "   1:" + listen + "   2:" + established + "   3:" + timeWait
                + "   4:" + established + "   5:" + timeWait;

        assertThat(ProcNetTcp.distinct(ProcNetTcp.parse(text, LITTLE_ENDIAN))).extracting(TcpSocket::state)
                .containsExactly(TcpState.LISTEN, TcpState.LISTEN, TcpState.ESTABLISHED, TcpState.TIME_WAIT);
    }

    @Test
    void lineWithAStateFromANewerKernelIsSkipped() {
        String text = V4_HEADER
                + "   0: 0100007F:1F90 00000000:0000 0D 00000000:00000000 00:00000000 00000000     0        0 1 1 0\n"
                + "   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0\n";
        assertThat(ProcNetTcp.parse(text, LITTLE_ENDIAN)).extracting(TcpSocket::state).containsExactly(TcpState.LISTEN);
    }

    @Test
    void malformedLineIsRefusedWithItsLineNumber() {
        String badAddress = V4_HEADER + "   0: 0100007F1F90 00000000:0000 0A 00000000:00000000\n";
        assertThatThrownBy(() -> ProcNetTcp.parse(badAddress))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("not an address");
        String badHex = V4_HEADER + "   0: 0100007G:1F90 00000000:0000 0A 00000000:00000000\n";
        assertThatThrownBy(() -> ProcNetTcp.parse(badHex)).hasMessageContaining("line 2");
        assertThatThrownBy(() -> ProcNetTcp.parse("   0: 0100007F:1F90\n")).hasMessageContaining("line 1: not a socket");
    }

    @Test
    void directoryReadGivesTcpThenTcp6Sockets() throws IOException {
        assumeTrue(ByteOrder.nativeOrder() == LITTLE_ENDIAN, "fixtures are little-endian");
        List<TcpSocket> sockets = ProcNetTcp.read(TcpFixtures.netnsDir());

        assertThat(sockets).hasSize(13 + 6);
        assertThat(sockets.get(0).local()).isEqualTo(addr("0.0.0.0", 8000));
        assertThat(sockets.get(13).local().getPort()).isEqualTo(8443);
        assertThat(sockets).isUnmodifiable();
    }

    @Test
    void missingTcp6MeansIpv6IsOffNotAnError(@TempDir Path dir) throws IOException {
        assumeTrue(ByteOrder.nativeOrder() == LITTLE_ENDIAN, "fixtures are little-endian");
        Files.writeString(dir.resolve("tcp"), TcpFixtures.table("tcp"));
        assertThat(ProcNetTcp.read(dir)).hasSize(13);
    }

    @Test
    void missingTcpIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> ProcNetTcp.read(dir)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void malformedTableNamesTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tcp"), V4_HEADER + "garbage\n");
        assertThatThrownBy(() -> ProcNetTcp.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("tcp").toString())
                .hasMessageContaining("line 2");
    }
}

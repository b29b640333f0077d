package dev.porter.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LocalPortRangeTest {
    @Test
    void rangeSeparatedByATabAsTheKernelWritesItIsRead() throws IOException {
        LocalPortRange r = LocalPortRange.read(TcpFixtures.resource("ip_local_port_range"));
        assertThat(r).isEqualTo(new LocalPortRange(40000, 40009));
        assertThat(r.size()).isEqualTo(10);
    }

    @Test
    void defaultLinuxRangeHas28232Ports(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("ip_local_port_range"), "32768\t60999\n");
        assertThat(LocalPortRange.read(file).size()).isEqualTo(28232);
    }

    @Test
    void spacesAndSurroundingWhitespaceAreAccepted() {
        assertThat(LocalPortRange.parse("  1024   65535 \n")).isEqualTo(new LocalPortRange(1024, 65535));
    }

    @Test
    void singlePortRangeHasSizeOne() {
        assertThat(new LocalPortRange(50000, 50000).size()).isEqualTo(1);
    }

    @Test
    void malformedFileIsAnIoErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("ip_local_port_range"), "32768\n");
        assertThatThrownBy(() -> LocalPortRange.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("expected two port numbers");
        Path words = Files.writeString(dir.resolve("words"), "low\thigh\n");
        assertThatThrownBy(() -> LocalPortRange.read(words)).isInstanceOf(IOException.class);
    }

    @Test
    void swappedOrOutOfRangeEndsAreRefused() {
        assertThatThrownBy(() -> new LocalPortRange(60999, 32768)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalPortRange(0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalPortRange(1, 65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thisHostsRangeIsReadFromProc() throws IOException {
        assumeTrue(Files.isReadable(LocalPortRange.DEFAULT_FILE), "no /proc/sys on this host");
        assertThat(LocalPortRange.read().size()).isPositive();
    }
}

package dev.porter.bench.load;

import dev.porter.bench.proxy.Launch;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LoadDriverTest {
    private static final InetSocketAddress TARGET = new InetSocketAddress("127.0.0.1", 8443);

    @Test
    void tlsLoadsTheSamePortOverHttps() {
        assertThat(LoadDriver.url(TARGET, true)).isEqualTo("https://127.0.0.1:8443/");
        assertThat(LoadDriver.url(TARGET, false)).isEqualTo("http://127.0.0.1:8443/");
    }

    @Test
    void theReportSaysWhenTheClientsSpokeTls() {
        assertThat(LoadDriver.wrk(Path.of("/usr/bin/wrk"), Launch.unpinned(), 1, true).describe()).contains("https");
        assertThat(LoadDriver.wrk(Path.of("/usr/bin/wrk"), Launch.unpinned(), 1, false).describe())
                .doesNotContain("https");
        assertThat(LoadDriver.ab(Path.of("/usr/bin/ab"), Launch.unpinned(), true).describe())
                .contains("a full TLS handshake per request");
        assertThat(LoadDriver.ab(Path.of("/usr/bin/ab"), Launch.unpinned(), false).describe()).doesNotContain("TLS");
    }
}

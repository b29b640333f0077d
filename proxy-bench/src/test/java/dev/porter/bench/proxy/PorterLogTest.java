package dev.porter.bench.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PorterLogTest {
    @Test
    void logLinesOfOneKindGroupTogether() {
        String a = "2026-11-22T05:08:47.548Z WARN  [porter-worker-1-2] d.porter.server.Exchange - [id: 0x2279e306, "
                + "L:/127.0.0.1:18000 - R:/127.0.0.1:52520] GET / -> 502: connect to 127.0.0.1:18080 failed: EADDRNOTAVAIL";
        String b = "2026-11-22T05:08:49.001Z WARN  [porter-worker-1-1] d.porter.server.Exchange - [id: 0x11111111, "
                + "L:/127.0.0.1:18000 - R:/127.0.0.1:40001] GET / -> 502: connect to 127.0.0.1:18080 failed: EADDRNOTAVAIL";

        assertThat(PorterProcess.pattern(a)).isEqualTo(PorterProcess.pattern(b))
                .isEqualTo("[id] GET / -> #: connect to #.#.#.#:# failed: EADDRNOTAVAIL");
    }

    @Test
    void theTransportIsReadFromTheStartLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = java.nio.file.Files.writeString(dir.resolve("porter.log"),
                "2026-12-02T16:26:12.596Z INFO  [main] d.p.cli.ProxyProcess - porter 0.1.0-SNAPSHOT listening on "
                        + "127.0.0.1:54303 (1 workers, io_uring, TLS by OpenSSL); admin on http://127.0.0.1:45671/status\n");
        assertThat(PorterProcess.transportIn(log)).isEqualTo("io_uring");
        assertThat(PorterProcess.transportIn(dir.resolve("missing.log"))).isEmpty();
    }
}

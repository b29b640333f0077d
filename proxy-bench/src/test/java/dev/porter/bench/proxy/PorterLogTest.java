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
}

package dev.porter.upstream;

import dev.porter.testing.NetnsChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source address that has run out of ports toward a server does not fail a request: the
 * connect moves on to the group's next source address ({@link SourceAddressFallbackScenario},
 * in a namespace with sixteen ephemeral ports, all taken from 127.0.0.2). The group has one server
 * and {@code next-upstream-tries} as many as servers, so without the fallback the request that
 * drew 127.0.0.2 would get a 502. The failed connect is still counted, so {@code /status} says
 * which source address ran dry.
 */
class SourceAddressFallbackIT {
    @TempDir
    Path dir;

    @Test
    void aConnectThatFindsItsSourceAddressOutOfPortsMovesOnToTheNextOne() throws Exception {
        String output = NetnsChild.run(SourceAddressFallbackScenario.class, List.of(), dir, 120);
        String result = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("the scenario printed no result:\n" + output));
        assertThat(result).as(output).contains("held=16 ");
        assertThat(result).as(output).contains(" statuses=[200,200,200] ");
        assertThat(result).as(output).doesNotContain(" eaddrnotavail=0 ");
        assertThat(result).as(output).contains(" opened=3");
    }
}

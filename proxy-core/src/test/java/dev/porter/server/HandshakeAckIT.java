package dev.porter.server;

import dev.porter.config.TransportChoice;
import dev.porter.testing.NetnsChild;
import dev.porter.testing.Transports;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that leaves Nagle's algorithm on does not wait for the kernel's delayed ACK after
 * its TLS handshake: Porter acknowledges the client's Finished at once, so the client's request
 * leaves without the ~40 ms wait it had per connection. Counted, not timed: in a namespace of
 * its own ({@link HandshakeAckScenario}) the kernel's count of ACKs sent by the delayed-ACK timer
 * stays far below one per connection (it was exactly one per connection before), on every
 * transport that loads here, for both kinds of waiting client: one that waits for the ACK of
 * its Finished to send its request (OpenSSL's), and one that waits for the ACK of its
 * ChangeCipherSpec to send its Finished (the JDK's).
 */
class HandshakeAckIT {
    private static final int CONNECTIONS = 20;

    @TempDir
    Path dir;

    static Stream<Arguments> transportsAndClients() {
        return Transports.loadable().stream()
                .flatMap(t -> Stream.of(Arguments.of(t, "no-compat"), Arguments.of(t, "compat")));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("transportsAndClients")
    void whatTheClientSendsInItsHandshakeIsAcknowledgedWithoutTheDelayedAckTimer(TransportChoice transport, String client)
            throws Exception {
        String output = NetnsChild.run(HandshakeAckScenario.class,
                List.of(transport.configName(), client, Integer.toString(CONNECTIONS), dir.toString()), dir, 120);
        Map<String, String> r = NetnsChild.result(output);
        String line = r.toString();
        System.out.println(transport + ", " + client + ": " + line);
        assertThat(r.get("notFound")).as(line).isEqualTo(Integer.toString(CONNECTIONS));
        assertThat(r.get("nagle")).as("the clients leave Nagle on: %s", line).isEqualTo("true");
        assertThat(Long.parseLong(r.get("delayedAcks"))).as(line).isLessThan(CONNECTIONS / 4);
    }
}

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
 * A peer that leaves Nagle's algorithm on and writes a message's head and its body apart does
 * not wait for the kernel's delayed ACK of the head: while the rest of a message is still to come
 * Porter acknowledges what it read at once, so the body leaves without the ~40 ms wait it had on
 * every message (nginx has that wait too). Both directions: a client's request body
 * (the JDK's {@code HttpURLConnection}) and an upstream's response body (Python's
 * {@code http.server}). Counted, not timed: in a namespace of its own ({@link BodyAckScenario})
 * the kernel's count of ACKs sent by the delayed-ACK timer stays far below one per request (it
 * was one or more per request before), on every transport that loads here.
 */
class BodyAckIT {
    private static final int REQUESTS = 20;

    @TempDir
    Path dir;

    static Stream<Arguments> transportsAndSides() {
        return Transports.loadable().stream()
                .flatMap(t -> Stream.of(Arguments.of(t, "request"), Arguments.of(t, "response")));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("transportsAndSides")
    void aHeadWhoseBodyIsStillToComeIsAcknowledgedWithoutTheDelayedAckTimer(TransportChoice transport, String split)
            throws Exception {
        String output = NetnsChild.run(BodyAckScenario.class,
                List.of(transport.configName(), split, Integer.toString(REQUESTS)), dir, 120);
        Map<String, String> r = NetnsChild.result(output);
        System.out.println(transport + ", " + split + ": " + r);
        assertThat(r.get("ok")).as("%s", r).isEqualTo(Integer.toString(REQUESTS));
        assertThat(r.get("originRequests")).as("every request reached the origin: %s", r).isEqualTo(Integer.toString(REQUESTS + 1));
        assertThat(r.get("nagle")).as("the splitting side leaves Nagle on: %s", r).isEqualTo("true");
        assertThat(Long.parseLong(r.get("delayedAcks"))).as("%s", r).isLessThan(REQUESTS / 4);
    }
}

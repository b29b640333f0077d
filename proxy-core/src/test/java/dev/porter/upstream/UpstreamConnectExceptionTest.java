package dev.porter.upstream;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which connect failures are this host's own (never held against the server) and which are timeouts. */
class UpstreamConnectExceptionTest {
    private static UpstreamConnectException failed(String errno) {
        return new UpstreamConnectException("127.0.0.1:8080", errno, new ConnectException("x"));
    }

    @Test
    void runningOutOfPortsOrDescriptorsIsThisHostsProblemNotTheServers() {
        assertThat(failed("EADDRNOTAVAIL").isLocal()).isTrue();
        assertThat(failed("EMFILE").isLocal()).isTrue();
        assertThat(failed("ENFILE").isLocal()).isTrue();
        assertThat(failed("ECONNREFUSED").isLocal()).isFalse();
        assertThat(failed("ETIMEDOUT").isLocal()).isFalse();
    }

    @Test
    void onlyATimedOutConnectIsATimeout() {
        assertThat(failed("ETIMEDOUT").isTimeout()).isTrue();
        assertThat(failed("ECONNREFUSED").isTimeout()).isFalse();
        assertThat(failed("ETIMEDOUT").errno()).isEqualTo("ETIMEDOUT");
        assertThat(failed("ECONNREFUSED").getMessage()).contains("127.0.0.1:8080").contains("ECONNREFUSED");
    }
}

package dev.porter.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AbTest {
    @Test
    void parsesCompleteAndFailedRequestsTimeAndPercentiles() throws Exception {
        Ab.Result r = Ab.parse("""
                Server Software:        nginx/1.22.1
                Concurrency Level:      20
                Time taken for tests:   10.000 seconds
                Complete requests:      173000
                Failed requests:        3
                   (Connect: 0, Receive: 0, Length: 3, Exceptions: 0)
                Non-2xx responses:      2
                Requests per second:    17300.00 [#/sec] (mean)
                Percentage of the requests served within a certain time (ms)
                  50%      1
                  66%      1
                  90%      2
                  99%      4
                 100%     12 (longest request)
                """);

        assertThat(r.requests()).isEqualTo(173_000);
        assertThat(r.seconds()).isEqualTo(10.0);
        assertThat(r.errors()).isEqualTo(5);
        assertThat(r.p50Millis()).isEqualTo(1);
        assertThat(r.p90Millis()).isEqualTo(2);
        assertThat(r.p99Millis()).isEqualTo(4);
    }

    @Test
    void outputWithoutASummaryIsAnError() {
        assertThatThrownBy(() -> Ab.parse("apr_socket_connect(): Connection refused (111)\n"))
                .hasMessageContaining("Connection refused");
    }
}

package dev.porter.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WrkTest {
    @Test
    void parsesRequestsPerSecondAndPercentilesInAnyUnit() throws Exception {
        Wrk.Result r = Wrk.parse("""
                Running 10s test @ http://127.0.0.1:8080/
                  2 threads and 64 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     3.10ms    1.20ms  40.00ms   90.00%
                    Req/Sec    10.00k     1.00k   12.00k    70.00%
                  Latency Distribution
                     50%  850.00us
                     75%    2.00ms
                     90%    4.50ms
                     99%    1.20s
                  200000 requests in 10.00s, 40.00MB read
                  Socket errors: connect 0, read 3, write 0, timeout 0
                Requests/sec:  19999.50
                Transfer/sec:      4.00MB
                """);

        assertThat(r.rps()).isEqualTo(19999.5);
        assertThat(r.p50Millis()).isCloseTo(0.85, within(1e-9));
        assertThat(r.p90Millis()).isEqualTo(4.5);
        assertThat(r.p99Millis()).isEqualTo(1200.0);
        assertThat(r.errors()).isEqualTo("Socket errors: connect 0, read 3, write 0, timeout 0");
    }
}

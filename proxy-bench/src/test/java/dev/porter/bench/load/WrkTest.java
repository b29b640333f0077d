package dev.porter.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WrkTest {
    @Test
    void parsesTheScriptsLineWithExactCountsAndPercentilesInMicroseconds() throws Exception {
        Wrk.Result r = Wrk.parse("""
                Running 10s test @ http://127.0.0.1:8080/
                  1 threads and 50 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     3.10ms    1.20ms  40.00ms   90.00%
                  200000 requests in 10.00s, 40.00MB read
                  Socket errors: connect 0, read 3, write 0, timeout 0
                Requests/sec:  19999.50
                porter-bench-wrk requests=200000 duration_us=10000250 connect=0 read=3 write=0 status=2 timeout=0 p50=850 p90=4500 p99=12000 p999=1200000
                """);

        assertThat(r.requests()).isEqualTo(200_000);
        assertThat(r.seconds()).isCloseTo(10.00025, within(1e-9));
        assertThat(r.p50Millis()).isCloseTo(0.85, within(1e-9));
        assertThat(r.p90Millis()).isEqualTo(4.5);
        assertThat(r.p99Millis()).isEqualTo(12.0);
        assertThat(r.p999Millis()).isEqualTo(1200.0);
        assertThat(r.errors()).isEqualTo(5);
        assertThat(r.errorText()).isEqualTo("read 3, status 2");
    }

    @Test
    void noErrorsMeansNoErrorText() throws Exception {
        Wrk.Result r = Wrk.parse("porter-bench-wrk requests=10 duration_us=1000000 connect=0 read=0 write=0 status=0 "
                + "timeout=0 p50=1 p90=2 p99=3 p999=4\n");

        assertThat(r.errors()).isZero();
        assertThat(r.errorText()).isNull();
    }

    @Test
    void outputWithoutTheScriptsLineIsAnError() {
        assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n"))
                .hasMessageContaining("Connection refused");
    }

    @Test
    void theScriptOnlyDefinesDoneSoWrksRequestPathStaysInC() {
        assertThat(Wrk.SCRIPT).contains("done = function(summary, latency, requests)")
                .doesNotContain("response =").doesNotContain("request =")
                .contains("latency:percentile(99.9)");
    }
}

package dev.porter.bench.load;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadSpecTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 18000);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.2", 18000);

    @Test
    void connectionsTakeTheTargetsInTurn() {
        LoadSpec spec = LoadSpec.closedLoop(A, 5, Duration.ofSeconds(1)).withTargets(List.of(A, B));

        assertThat(List.of(spec.target(0), spec.target(1), spec.target(2), spec.target(3))).containsExactly(A, B, A, B);
        assertThat(spec.target()).isEqualTo(A);
        // the other withers keep the spread
        assertThat(spec.withRate(10).withDuration(Duration.ofSeconds(2)).withConnection(ClientConnection.CLOSE_HEADER)
                .targets()).containsExactly(A, B);
    }

    @Test
    void aSpecWithOneTargetSendsEveryConnectionThere() {
        LoadSpec spec = LoadSpec.closedLoop(A, 3, Duration.ofSeconds(1));

        assertThat(spec.targets()).containsExactly(A);
        assertThat(spec.target(2)).isEqualTo(A);
    }

    @Test
    void theTargetsMustStartWithTheTarget() {
        assertThatThrownBy(() -> new LoadSpec(A, "h", "/", 1, Duration.ofSeconds(1), 0, 1, ClientConnection.KEEPALIVE, 1,
                List.of(B, A))).isInstanceOf(IllegalArgumentException.class);
    }
}

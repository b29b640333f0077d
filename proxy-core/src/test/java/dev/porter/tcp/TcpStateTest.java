package dev.porter.tcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpStateTest {
    @Test
    void codesAreTheKernelsFromTcpStatesH() {
        assertThat(TcpState.fromCode(1)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(TcpState.fromCode(6)).isEqualTo(TcpState.TIME_WAIT);
        assertThat(TcpState.fromCode(8)).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(TcpState.fromCode(0x0A)).isEqualTo(TcpState.LISTEN);
        assertThat(TcpState.fromCode(0x0B)).isEqualTo(TcpState.CLOSING);
        assertThat(TcpState.fromCode(0x0C)).isEqualTo(TcpState.NEW_SYN_RECV);
    }

    @Test
    void everyStateRoundTripsThroughItsCode() {
        for (TcpState s : TcpState.values()) {
            assertThat(TcpState.fromCode(s.code())).isSameAs(s);
        }
    }

    @Test
    void unknownCodeIsRefusedByFromCodeButNullForParsers() {
        assertThatThrownBy(() -> TcpState.fromCode(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcpState.fromCode(0x0D)).hasMessageContaining("13");
        assertThat(TcpState.orNull(-1)).isNull();
        assertThat(TcpState.orNull(0x0D)).isNull();
    }
}

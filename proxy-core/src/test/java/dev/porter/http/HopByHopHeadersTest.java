package dev.porter.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HopByHopHeadersTest {
    @Test
    void removesTheFixedSetAndEveryFieldNamedInConnection() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", "close, X-Private")
                .add("Connection", "X-Other")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("TE", "trailers")
                .add("Trailer", "X-T")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "h2c")
                .add("X-Private", "1")
                .add("X-Other", "2")
                .add("X-End-To-End", "3");
        HopByHopHeaders.strip(h);
        assertThat(h.names()).containsExactly("X-End-To-End");
    }

    @Test
    void keepAliveHintIsReadFromTheResponseBeforeStripping() {
        HttpHeaders h = new DefaultHttpHeaders().add("Keep-Alive", "timeout=20, max=100");
        assertThat(KeepAliveHint.timeoutSeconds(h)).isEqualTo(20);
        assertThat(KeepAliveHint.timeoutSeconds(new DefaultHttpHeaders().add("Keep-Alive", "max=5"))).isEqualTo(-1);
        assertThat(KeepAliveHint.timeoutSeconds(new DefaultHttpHeaders().add("Keep-Alive", "timeout=x"))).isEqualTo(-1);
        assertThat(KeepAliveHint.timeoutSeconds(new DefaultHttpHeaders())).isEqualTo(-1);
    }
}

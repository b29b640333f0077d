package dev.porter.bench.proxy;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-process Porter runs the configuration a Porter process gets from {@link PorterConfigWriter}. */
class InProcessPorterTest {
    private static final InetSocketAddress LISTEN = new InetSocketAddress("127.0.0.1", 0);
    private static final InetSocketAddress BACKEND = new InetSocketAddress("127.0.0.1", 8080);

    private static void assertSameAsWritten(PorterSettings settings) {
        ProxyConfig built = InProcessPorter.config(settings);
        ProxyConfig written = ConfigLoader.parse(PorterConfigWriter.write(settings), "bench");

        assertThat(built.workers()).isEqualTo(written.workers());
        assertThat(built.listeners()).isEqualTo(written.listeners());
        assertThat(built.upstreams()).isEqualTo(written.upstreams());
        assertThat(built.routes()).isEqualTo(written.routes());
        assertThat(built.admin()).isEqualTo(written.admin());
        assertThat(built.accessLog()).isEqualTo(written.accessLog());
        assertThat(built.shutdownTimeout()).isEqualTo(written.shutdownTimeout());
        assertThat(built.writeBuffer().high()).isEqualTo(written.writeBuffer().high());
        assertThat(built.writeBuffer().low()).isEqualTo(written.writeBuffer().low());
    }

    @Test
    void pooledWithTheAdminListenerIsTheWrittenConfiguration() {
        assertSameAsWritten(new PorterSettings(2, LISTEN, BACKEND, new InetSocketAddress("127.0.0.1", 9901),
                32, 1000, "1.1", "proxy"));
    }

    @Test
    void http10UpstreamClosingWithoutAdminIsTheWrittenConfiguration() {
        assertSameAsWritten(new PorterSettings(1, LISTEN, BACKEND, null, 0, 90, "1.0", "upstream"));
        assertSameAsWritten(new PorterSettings(1, LISTEN, BACKEND, null, 4, 1, "1.1", "reset"));
    }

    @Test
    void aWordPorterDoesNotKnowIsRefused() {
        assertThatThrownBy(() -> InProcessPorter.config(new PorterSettings(1, LISTEN, BACKEND, null, 4, 1, "2", "proxy")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http-version");
        assertThatThrownBy(() -> InProcessPorter.config(new PorterSettings(1, LISTEN, BACKEND, null, 4, 1, "1.1", "client")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("close-initiator");
    }
}

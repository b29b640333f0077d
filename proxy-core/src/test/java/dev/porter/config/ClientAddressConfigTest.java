package dev.porter.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The listener keys that say where the client address comes from: PROXY protocol and the trusted real IP. */
class ClientAddressConfigTest {
    private static String config(String listenerExtra) {
        return String.join("\n",
                "porter {",
                "  workers = 1",
                "  listeners = [ {",
                "    address = \"127.0.0.1:8000\"",
                "    " + listenerExtra,
                "  } ]",
                "  upstreams { app { servers = [ { address = \"127.0.0.1:8080\" } ] } }",
                "  routes = [ { path-prefix = \"/\", upstream = app } ]",
                "}");
    }

    private static ListenerConfig listener(String listenerExtra) {
        return ConfigLoader.parse(config(listenerExtra), "porter.conf").listeners().get(0);
    }

    @Test
    void byDefaultThePeerIsTheClient() {
        ListenerConfig l = listener("");
        assertThat(l.proxyProtocol()).isFalse();
        assertThat(l.proxyProtocolTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(l.realIp().enabled()).isFalse();
        assertThat(l.realIp().header()).isEqualTo("X-Forwarded-For");
        assertThat(l.realIp().recursive()).isFalse();
    }

    @Test
    void proxyProtocolAndRealIpSettingsAreRead() {
        ListenerConfig l = listener("proxy-protocol = true, proxy-protocol-timeout = 2s\n"
                + "set-real-ip-from = [ \"10.0.0.0/8\", \"127.0.0.1\", \"::1\", \"2001:db8::/32\" ]\n"
                + "real-ip-header = X-Real-IP, real-ip-recursive = true");
        assertThat(l.proxyProtocol()).isTrue();
        assertThat(l.proxyProtocolTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(l.realIp().trusted()).extracting(Object::toString)
                .containsExactly("10.0.0.0/8", "127.0.0.1", "::1", "2001:db8::/32");
        assertThat(l.realIp().header()).isEqualTo("X-Real-IP");
        assertThat(l.realIp().recursive()).isTrue();
        // A reload compares listeners: the same settings read twice are equal.
        assertThat(l).isEqualTo(listener("proxy-protocol = true, proxy-protocol-timeout = 2s\n"
                + "set-real-ip-from = [ \"10.0.0.0/8\", \"127.0.0.1\", \"::1\", \"2001:db8::/32\" ]\n"
                + "real-ip-header = X-Real-IP, real-ip-recursive = true"));
    }

    @Test
    void aBadTrustedAddressIsRefusedAtLoadWithFileAndLine() {
        assertThatThrownBy(() -> ConfigLoader.parse(config("set-real-ip-from = [ \"10.0.0.0/33\" ]"), "porter.conf"))
                .hasMessageContaining("porter.conf: 5: porter.listeners[].set-real-ip-from: \"10.0.0.0/33\": the prefix length must be 0-32");
        assertThatThrownBy(() -> ConfigLoader.parse(config("set-real-ip-from = [ \"10.0.0.1/8\" ]"), "porter.conf"))
                .hasMessageContaining("porter.conf: 5: porter.listeners[].set-real-ip-from: \"10.0.0.1/8\" has bits set past its prefix: write 10.0.0.0/8");
        assertThatThrownBy(() -> ConfigLoader.parse(config("set-real-ip-from = [ \"127.0.0.1\", \"lb.internal\" ]"), "porter.conf"))
                .hasMessageContaining("porter.conf: 5: porter.listeners[].set-real-ip-from: \"lb.internal\" is not an IP address or CIDR");
        assertThatThrownBy(() -> ConfigLoader.parse(config("set-real-ip-from = \"10.0.0.0/8\""), "porter.conf"))
                .hasMessageContaining("porter.conf: 5").hasMessageContaining("set-real-ip-from");
    }

    @Test
    void aBadHeaderNameOrTimeoutIsRefusedWithFileAndLine() {
        assertThatThrownBy(() -> ConfigLoader.parse(config("real-ip-header = \"X Forwarded For\""), "porter.conf"))
                .hasMessageContaining("porter.conf: 5: porter.listeners[].real-ip-header: must be a header name, was \"X Forwarded For\"");
        assertThatThrownBy(() -> ConfigLoader.parse(config("real-ip-header = proxy_protocol"), "porter.conf"))
                .hasMessageContaining("porter.conf: 5: porter.listeners[].real-ip-header: proxy_protocol is not a header");
        assertThatThrownBy(() -> ConfigLoader.parse(config("proxy-protocol-timeout = 5"), "porter.conf"))
                .hasMessageContaining("porter.conf: 5: porter.listeners[].proxy-protocol-timeout: a duration needs a unit");
        assertThatThrownBy(() -> ConfigLoader.parse(config("proxy-protocol = maybe"), "porter.conf"))
                .hasMessageContaining("porter.conf: 5").hasMessageContaining("proxy-protocol");
    }
}

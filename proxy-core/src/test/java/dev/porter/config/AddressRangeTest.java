package dev.porter.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressRangeTest {
    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    @Test
    void aCidrCoversExactlyItsNetwork() throws Exception {
        AddressRange r = AddressRange.parse("10.0.0.0/8");
        assertThat(r.contains(ip("10.255.1.2"))).isTrue();
        assertThat(r.contains(ip("11.0.0.0"))).isFalse();
        AddressRange odd = AddressRange.parse("192.168.4.0/22");
        assertThat(odd.contains(ip("192.168.7.255"))).isTrue();
        assertThat(odd.contains(ip("192.168.8.0"))).isFalse();
        assertThat(odd.contains(ip("192.168.3.255"))).isFalse();
        assertThat(AddressRange.parse("0.0.0.0/0").contains(ip("203.0.113.7"))).isTrue();
        assertThat(AddressRange.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
    }

    @Test
    void aBareAddressIsItselfOnlyInEitherFamily() throws Exception {
        assertThat(AddressRange.parse("127.0.0.1").contains(ip("127.0.0.1"))).isTrue();
        assertThat(AddressRange.parse("127.0.0.1").contains(ip("127.0.0.2"))).isFalse();
        assertThat(AddressRange.parse("::1").contains(ip("::1"))).isTrue();
        assertThat(AddressRange.parse("::1").contains(ip("127.0.0.1"))).isFalse();
        AddressRange v6 = AddressRange.parse("2001:db8::/33");
        assertThat(v6.contains(ip("2001:db8:7fff::1"))).isTrue();
        assertThat(v6.contains(ip("2001:db8:8000::1"))).isFalse();
        assertThat(v6).hasToString("2001:db8::/33");
    }

    @Test
    void anIpv4MappedRangeMeansItsIpv4Range() throws Exception {
        AddressRange r = AddressRange.parse("::ffff:10.0.0.0/104");
        assertThat(r).isEqualTo(AddressRange.parse("10.0.0.0/8"));
        assertThat(r.contains(ip("10.1.2.3"))).isTrue();
    }

    @Test
    void namesBadPrefixesAndHostBitsAreRefused() {
        assertThatThrownBy(() -> AddressRange.parse("localhost")).hasMessageContaining("not an IP address or CIDR");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0/8")).hasMessageContaining("not an IP address or CIDR");
        assertThatThrownBy(() -> AddressRange.parse("[::1]")).hasMessageContaining("not an IP address or CIDR");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessageContaining("prefix length must be 0-32");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/")).hasMessageContaining("prefix length must be 0-32");
        assertThatThrownBy(() -> AddressRange.parse("::/129")).hasMessageContaining("prefix length must be 0-128");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.1/8")).hasMessageContaining("write 10.0.0.0/8");
    }

    @Test
    void rangesAreEqualByTheAddressesTheyCover() {
        assertThat(AddressRange.parse("10.0.0.0/8")).isEqualTo(AddressRange.parse(" 10.0.0.0/8 "))
                .hasSameHashCodeAs(AddressRange.parse("10.0.0.0/8"))
                .isNotEqualTo(AddressRange.parse("10.0.0.0/9"));
        assertThat(AddressRange.parse("2001:DB8:0::/32")).isEqualTo(AddressRange.parse("2001:db8::/32"));
    }
}

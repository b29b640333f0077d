package dev.porter.client;

import dev.porter.config.AddressRange;
import dev.porter.config.RealIpConfig;
import dev.porter.http.MessageHead;
import dev.porter.testing.Heads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's realip walk (ngx_http_get_forwarded_addr), case by case. */
class RealIpTest {
    private static final ClientAddress BALANCER = ClientAddress.of(new InetSocketAddress("10.0.0.5", 40000));
    private static final ClientAddress STRANGER = ClientAddress.of(new InetSocketAddress("198.51.100.1", 40000));

    private static RealIp realIp(String header, boolean recursive, String... trusted) {
        return RealIp.of(new RealIpConfig(Arrays.stream(trusted).map(AddressRange::parse).toList(), header, recursive));
    }

    private final List<MessageHead> heads = new ArrayList<>();

    @AfterEach
    void release() {
        heads.forEach(MessageHead::release);
    }

    /** A request with these fields (name, value, name, value...). */
    private MessageHead headers(String... nameValues) {
        StringBuilder raw = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < nameValues.length; i += 2) {
            raw.append(nameValues[i]).append(": ").append(nameValues[i + 1]).append("\r\n");
        }
        MessageHead h = Heads.request(raw.append("\r\n").toString());
        heads.add(h);
        return h;
    }

    private static String client(RealIp r, ClientAddress peer, MessageHead h) {
        return r.resolve(peer, h::fields).text();
    }

    @Test
    void withoutTrustedAddressesThereIsNoRealIp() {
        assertThat(RealIp.of(new RealIpConfig(java.util.List.of(), "X-Forwarded-For", false))).isNull();
    }

    @Test
    void aTrustedPeerNamesTheClientWithTheLastAddressOfXForwardedFor() {
        RealIp r = realIp("X-Forwarded-For", false, "10.0.0.0/8");
        ClientAddress c = r.resolve(BALANCER, headers("X-Forwarded-For", "192.0.2.1, 203.0.113.7")::fields);
        assertThat(c.text()).isEqualTo("203.0.113.7");
        assertThat(c.ip()).isEqualTo(ip("203.0.113.7"));
        // The hop that connected is kept, for X-Forwarded-For.
        assertThat(c.peer()).isSameAs(BALANCER);
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItSends() {
        RealIp r = realIp("X-Forwarded-For", false, "10.0.0.0/8");
        MessageHead h = headers("X-Forwarded-For", "203.0.113.7");
        assertThat(r.resolve(STRANGER, h::fields)).isSameAs(STRANGER);
    }

    @Test
    void withoutRecursionTheLastAddressIsTheClientEvenWhenItIsTrusted() {
        RealIp r = realIp("X-Forwarded-For", false, "10.0.0.0/8");
        assertThat(client(r, BALANCER, headers("X-Forwarded-For", "203.0.113.7, 10.1.2.3"))).isEqualTo("10.1.2.3");
    }

    @Test
    void withRecursionTheLastUntrustedAddressIsTheClient() {
        RealIp r = realIp("X-Forwarded-For", true, "10.0.0.0/8", "192.168.0.0/16");
        assertThat(client(r, BALANCER, headers("X-Forwarded-For", "192.0.2.9, 203.0.113.7, 192.168.1.1,10.1.2.3")))
                .isEqualTo("203.0.113.7");
        // All of them trusted: the first one.
        assertThat(client(r, BALANCER, headers("X-Forwarded-For", "10.9.9.9, 10.1.2.3"))).isEqualTo("10.9.9.9");
    }

    @Test
    void everyXForwardedForLineCountsInOrder() {
        RealIp r = realIp("X-Forwarded-For", true, "10.0.0.0/8");
        assertThat(client(r, BALANCER, headers("X-Forwarded-For", "203.0.113.7", "x-forwarded-for", "10.1.2.3")))
                .isEqualTo("203.0.113.7");
        RealIp last = realIp("X-Forwarded-For", false, "10.0.0.0/8");
        assertThat(client(last, BALANCER, headers("X-Forwarded-For", "203.0.113.7", "X-Forwarded-For", "192.0.2.1")))
                .isEqualTo("192.0.2.1");
    }

    @Test
    void somethingThatIsNotAnAddressEndsTheWalk() {
        RealIp r = realIp("X-Forwarded-For", true, "10.0.0.0/8");
        // The last element is garbage: nothing found, the peer stays the client.
        assertThat(r.resolve(BALANCER, headers("X-Forwarded-For", "203.0.113.7, unknown")::fields)).isSameAs(BALANCER);
        // Garbage before a trusted address: that address is the last one found.
        assertThat(client(r, BALANCER, headers("X-Forwarded-For", "evil.example, 10.1.2.3"))).isEqualTo("10.1.2.3");
        // No lookups of names, ever.
        assertThat(r.resolve(BALANCER, headers("X-Forwarded-For", "localhost")::fields)).isSameAs(BALANCER);
        assertThat(r.resolve(BALANCER, headers("X-Forwarded-For", ", ,")::fields)).isSameAs(BALANCER);
        assertThat(r.resolve(BALANCER, headers("X-Forwarded-For", "")::fields)).isSameAs(BALANCER);
        assertThat(r.resolve(BALANCER, headers()::fields)).isSameAs(BALANCER);
    }

    @Test
    void addressesMayCarryAPortAndIpv6IsWrittenAsNginxWritesIt() {
        RealIp r = realIp("X-Forwarded-For", false, "10.0.0.0/8");
        assertThat(client(r, BALANCER, headers("X-Forwarded-For", "203.0.113.7:4711"))).isEqualTo("203.0.113.7");
        assertThat(client(r, BALANCER, headers("X-Forwarded-For", "[2001:db8:0:0::7]:4711"))).isEqualTo("2001:db8::7");
        assertThat(client(r, BALANCER, headers("X-Forwarded-For", "2001:DB8::7"))).isEqualTo("2001:db8::7");
        assertThat(r.resolve(BALANCER, headers("X-Forwarded-For", "203.0.113.7:0")::fields)).isSameAs(BALANCER);
        assertThat(r.resolve(BALANCER, headers("X-Forwarded-For", "203.0.113.7:70000")::fields)).isSameAs(BALANCER);
        assertThat(r.resolve(BALANCER, headers("X-Forwarded-For", "[2001:db8::7]")::fields)).isSameAs(BALANCER);
        assertThat(r.resolve(BALANCER, headers("X-Forwarded-For", "2001:db8::7%eth0")::fields)).isSameAs(BALANCER);
        // An IPv4-mapped IPv6 address is the IPv4 address.
        assertThat(client(r, BALANCER, headers("X-Forwarded-For", "::ffff:203.0.113.7"))).isEqualTo("203.0.113.7");
    }

    @Test
    void anotherHeaderIsReadByItsFirstLine() {
        RealIp r = realIp("X-Real-IP", false, "10.0.0.0/8");
        assertThat(client(r, BALANCER, headers("X-Real-IP", "203.0.113.7", "X-Real-IP", "192.0.2.1",
                "X-Forwarded-For", "198.51.100.2"))).isEqualTo("203.0.113.7");
        RealIp custom = realIp("CF-Connecting-IP", false, "10.0.0.0/8");
        assertThat(client(custom, BALANCER, headers("cf-connecting-ip", "2001:db8::9"))).isEqualTo("2001:db8::9");
        assertThat(custom.resolve(BALANCER, headers("X-Forwarded-For", "203.0.113.7")::fields)).isSameAs(BALANCER);
    }

    @Test
    void trustedRangesMatchIpv4AndIpv6() {
        RealIp r = realIp("X-Forwarded-For", false, "127.0.0.1", "::1", "10.0.0.0/8", "2001:db8::/32");
        ClientAddress v6 = ClientAddress.of(new InetSocketAddress("2001:db8:ffff::1", 1));
        ClientAddress loop6 = ClientAddress.of(new InetSocketAddress("::1", 1));
        ClientAddress outside6 = ClientAddress.of(new InetSocketAddress("2001:db9::1", 1));
        MessageHead h = headers("X-Forwarded-For", "203.0.113.7");
        assertThat(client(r, v6, h)).isEqualTo("203.0.113.7");
        assertThat(client(r, loop6, h)).isEqualTo("203.0.113.7");
        assertThat(r.resolve(outside6, h::fields)).isSameAs(outside6);
        assertThat(client(r, ClientAddress.of(new InetSocketAddress("127.0.0.1", 1)), h)).isEqualTo("203.0.113.7");
        ClientAddress other = ClientAddress.of(new InetSocketAddress("127.0.0.2", 1));
        assertThat(r.resolve(other, h::fields)).isSameAs(other);
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

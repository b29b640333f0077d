package dev.porter.server;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerLimitsTest {
    /** Caffeine's timer wheel expires entries with a per-entry expiry in buckets of 2^30 ns. */
    private static final long TIMER_WHEEL_TICK = (1L << 30) + 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = now::get;

    private ListenerLimits limits(int max, int perIp, int rate, int burst) {
        return new ListenerLimits(max, perIp, rate, burst, now::get, ticker);
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void noLimitsMeansNoHandlerAndNoPerAddressState() {
        ListenerLimits l = limits(0, 0, 0, 0);
        assertThat(l.enabled()).isFalse();
        assertThat(l.perAddress()).isFalse();
        assertThat(l.rateLimited()).isFalse();
    }

    @Test
    void listenerMaxConnectionsRefusesPastTheLimitWithoutCountingTheRefused() {
        ListenerLimits l = limits(2, 0, 0, 0);
        assertThat(l.tryOpen()).isTrue();
        assertThat(l.tryOpen()).isTrue();
        assertThat(l.tryOpen()).isFalse();
        assertThat(l.openConnections()).isEqualTo(2);
        l.closed();
        assertThat(l.tryOpen()).isTrue();
    }

    @Test
    void maxConnectionsPerIpCountsEachAddressOnItsOwn() throws Exception {
        ListenerLimits l = limits(0, 2, 0, 0);
        ListenerLimits.AddressState a1 = l.tryOpen(ip("10.0.0.1"));
        ListenerLimits.AddressState a2 = l.tryOpen(ip("10.0.0.1"));
        assertThat(a1).isSameAs(a2);
        assertThat(l.tryOpen(ip("10.0.0.1"))).isNull();
        assertThat(a1.connections()).isEqualTo(2);
        assertThat(l.tryOpen(ip("10.0.0.2"))).isNotNull();
        l.closed(ip("10.0.0.1"), a1);
        assertThat(l.tryOpen(ip("10.0.0.1"))).isSameAs(a1);
    }

    @Test
    void anAddressIsKeptWhileConnectedAndForgottenOnceItsBucketWouldBeFull() throws Exception {
        ListenerLimits l = limits(0, 0, 10, 4); // refills in (4 + 1) x 100 ms
        InetAddress ip = ip("10.0.0.1");
        ListenerLimits.AddressState a = l.tryOpen(ip);
        assertThat(a.bucket()).isNotNull();
        now.addAndGet(3_600_000_000_000L); // an hour-long connection
        assertThat(l.trackedAddresses()).isEqualTo(1);
        assertThat(l.tryOpen(ip)).as("still the same state").isSameAs(a);
        l.closed(ip, a);
        l.closed(ip, a);
        now.addAndGet(499_000_000L);
        assertThat(l.trackedAddresses()).isEqualTo(1);
        now.addAndGet(TIMER_WHEEL_TICK);
        assertThat(l.trackedAddresses()).isZero();
    }

    @Test
    void withOnlyAConnectionLimitAnAddressIsForgottenWithItsLastConnection() throws Exception {
        ListenerLimits l = limits(0, 1, 0, 0);
        InetAddress ip = ip("::1");
        ListenerLimits.AddressState a = l.tryOpen(ip);
        assertThat(a.bucket()).isNull();
        assertThat(l.trackedAddresses()).isEqualTo(1);
        l.closed(ip, a);
        now.addAndGet(TIMER_WHEEL_TICK);
        assertThat(l.trackedAddresses()).isZero();
    }

    @Test
    void theRateIsSharedByAllConnectionsOfAnAddress() throws Exception {
        ListenerLimits l = limits(0, 0, 1, 1);
        ListenerLimits.AddressState c1 = l.tryOpen(ip("10.0.0.1"));
        ListenerLimits.AddressState c2 = l.tryOpen(ip("10.0.0.1"));
        assertThat(c1.bucket().tryAcquire(l.now())).isTrue();
        assertThat(c2.bucket().tryAcquire(l.now())).isTrue();
        assertThat(c1.bucket().tryAcquire(l.now())).isFalse();
        assertThat(l.tryOpen(ip("10.0.0.2")).bucket().tryAcquire(l.now())).isTrue();
    }

    @Test
    void aRealIpsStateSharesTheBucketOfItsConnectionsAndIsForgottenOnceItWouldBeFull() throws Exception {
        ListenerLimits l = limits(0, 0, 10, 4); // refills in (4 + 1) x 100 ms
        InetAddress ip = ip("203.0.113.7");
        ListenerLimits.AddressState named = l.state(ip);
        assertThat(named.connections()).as("naming an address opens no connection").isZero();
        assertThat(l.state(ip)).isSameAs(named);
        ListenerLimits.AddressState connected = l.tryOpen(ip);
        assertThat(connected).isSameAs(named);
        l.closed(ip, connected);
        now.addAndGet(499_000_000L);
        assertThat(l.trackedAddresses()).isEqualTo(1);
        now.addAndGet(TIMER_WHEEL_TICK);
        assertThat(l.trackedAddresses()).isZero();
    }
}

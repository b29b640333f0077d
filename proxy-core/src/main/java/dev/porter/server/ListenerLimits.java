package dev.porter.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.porter.config.ListenerConfig;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The connection and request-rate limits of one listener, with the state they need: the
 * listener's open connections, and per client IP address its open connections and its
 * {@link TokenBucket}. nginx keeps the like in a shared-memory zone
 * ({@code limit_conn_zone}, {@code limit_req_zone}); here it is one object per listener,
 * built once by {@link ClientChannelInitializer} and used by {@link ClientLimitHandler} and
 * {@link ClientRateLimit}.
 *
 * <p>Thread-safe: the connections of one listener live on every worker. That is the one
 * place where workers share state, and it is touched once per connection (the counters)
 * and once per request (one compare-and-set on the address's bucket, which the connection
 * holds), never per read or write.
 *
 * <p>Per-address state lives in a Caffeine cache. An entry is pinned while its address has
 * an open connection (expiring it then would forget those connections and let the address
 * open as many again); once the last one closes it expires when its bucket would be full
 * again ({@link TokenBucket#refillNanos()}), that is when forgetting it changes nothing, so
 * the cache holds only addresses that are connected or were just limited. (Caffeine's timer
 * wheel removes such entries up to about a second late; a late removal is harmless.)
 */
final class ListenerLimits {
    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final int ratePerIp;
    private final int rateBurst;
    private final LongSupplier clock;
    private final AtomicInteger open = new AtomicInteger();
    /** Null when no per-address limit is set: then nothing per address is kept. */
    private final Cache<InetAddress, AddressState> addresses;

    ListenerLimits(ListenerConfig listener) {
        this(listener.maxConnections(), listener.maxConnectionsPerIp(), listener.ratePerIp(), listener.rateBurst(),
                System::nanoTime, Ticker.systemTicker());
    }

    /** With a clock and a Caffeine ticker of the test's choosing (both in nanoseconds). */
    ListenerLimits(int maxConnections, int maxConnectionsPerIp, int ratePerIp, int rateBurst,
                   LongSupplier clock, Ticker ticker) {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerIp = maxConnectionsPerIp;
        this.ratePerIp = ratePerIp;
        this.rateBurst = rateBurst;
        this.clock = clock;
        if (maxConnectionsPerIp > 0 || ratePerIp > 0) {
            long idleNanos = ratePerIp > 0 ? new TokenBucket(ratePerIp, rateBurst, 0).refillNanos() : 0;
            this.addresses = Caffeine.newBuilder()
                    .ticker(ticker)
                    .expireAfter(new PinWhileConnected(idleNanos))
                    .build();
        } else {
            this.addresses = null;
        }
    }

    /** Whether any limit is set; when none is, the client pipeline needs no limit handler. */
    boolean enabled() {
        return maxConnections > 0 || addresses != null;
    }

    /** Whether state is kept per client address (max-connections-per-ip or rate-per-ip set). */
    boolean perAddress() {
        return addresses != null;
    }

    boolean rateLimited() {
        return ratePerIp > 0;
    }

    long now() {
        return clock.getAsLong();
    }

    /**
     * Counts a new connection on the listener.
     *
     * @return false when it is one too many; it is then not counted
     */
    boolean tryOpen() {
        int n = open.incrementAndGet();
        if (maxConnections > 0 && n > maxConnections) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A connection counted by {@link #tryOpen()} closed. */
    void closed() {
        open.decrementAndGet();
    }

    /** Connections open on this listener, over all workers. */
    int openConnections() {
        return open.get();
    }

    /**
     * Counts a new connection from {@code ip}.
     *
     * @return the address's state, which the connection keeps until {@link #closed(InetAddress, AddressState)};
     *         null when the address is over max-connections-per-ip (then nothing was counted)
     * @throws IllegalStateException when not {@link #perAddress()}
     */
    AddressState tryOpen(InetAddress ip) {
        if (addresses == null) {
            throw new IllegalStateException("no per-address limits on this listener");
        }
        // compute() is atomic per key and re-evaluates the expiry after the count changed,
        // which is what pins the entry.
        AddressState a = addresses.asMap().compute(ip, (k, v) -> {
            AddressState s = v != null ? v : new AddressState(ratePerIp > 0 ? new TokenBucket(ratePerIp, rateBurst, now()) : null);
            s.connections.incrementAndGet();
            return s;
        });
        if (maxConnectionsPerIp > 0 && a.connections.get() > maxConnectionsPerIp) {
            closed(ip, a);
            return null;
        }
        return a;
    }

    /**
     * The state of {@code ip} without counting a connection from it: for the rate of a client
     * whose address a trusted hop named ({@code set-real-ip-from}), which is not the address
     * of any connection. Its entry expires like that of an address whose connections closed.
     *
     * @throws IllegalStateException when not {@link #perAddress()}
     */
    AddressState state(InetAddress ip) {
        if (addresses == null) {
            throw new IllegalStateException("no per-address limits on this listener");
        }
        return addresses.get(ip, k -> new AddressState(ratePerIp > 0 ? new TokenBucket(ratePerIp, rateBurst, now()) : null));
    }

    /** A connection admitted by {@link #tryOpen(InetAddress)} closed. */
    void closed(InetAddress ip, AddressState a) {
        addresses.asMap().compute(ip, (k, v) -> {
            a.connections.decrementAndGet();
            return v;
        });
    }

    /** Addresses with state kept; for tests and status. */
    long trackedAddresses() {
        if (addresses == null) {
            return 0;
        }
        addresses.cleanUp();
        return addresses.estimatedSize();
    }

    /** One client address: its open connections on this listener and, if rate-limited, its bucket. */
    static final class AddressState {
        private final AtomicInteger connections = new AtomicInteger();
        private final TokenBucket bucket;

        private AddressState(TokenBucket bucket) {
            this.bucket = bucket;
        }

        int connections() {
            return connections.get();
        }

        /** Null when rate-per-ip is off. */
        TokenBucket bucket() {
            return bucket;
        }
    }

    /**
     * Expiry after access, except that an address with an open connection never expires.
     * Every change of the count goes through {@code compute()}, which asks again, so the
     * pin is lifted with the last connection.
     */
    private record PinWhileConnected(long idleNanos) implements Expiry<InetAddress, AddressState> {
        private long duration(AddressState a) {
            return a.connections() > 0 ? Long.MAX_VALUE : idleNanos;
        }

        @Override
        public long expireAfterCreate(InetAddress key, AddressState value, long currentTime) {
            return duration(value);
        }

        @Override
        public long expireAfterUpdate(InetAddress key, AddressState value, long currentTime, long currentDuration) {
            return duration(value);
        }

        @Override
        public long expireAfterRead(InetAddress key, AddressState value, long currentTime, long currentDuration) {
            return duration(value);
        }
    }
}

package dev.porter.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What one load run sends.
 *
 * @param target       where to connect (loopback, or inside the bench's own namespace)
 * @param hostHeader   the {@code Host} header
 * @param path         request path
 * @param concurrency  connections, each with at most one request in flight
 * @param duration     how long requests are started; in-flight ones may finish in a short grace
 * @param rate         requests/s for an open loop; 0 = closed loop (send as soon as the last answer came)
 * @param maxRequests  a hard bound on requests started, whatever the duration
 * @param connection   keepalive or not, and who closes
 * @param threads      event loops of the generator
 */
public record LoadSpec(
        InetSocketAddress target,
        String hostHeader,
        String path,
        int concurrency,
        Duration duration,
        long rate,
        long maxRequests,
        ClientConnection connection,
        int threads) {

    public LoadSpec {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(connection, "connection");
        if (concurrency < 1 || threads < 1 || maxRequests < 1 || rate < 0) {
            throw new IllegalArgumentException("concurrency, threads and maxRequests must be >= 1, rate >= 0");
        }
    }

    /** A closed loop with keepalive, a million-request cap and one thread per core (at most concurrency). */
    public static LoadSpec closedLoop(InetSocketAddress target, int concurrency, Duration duration) {
        int threads = Math.max(1, Math.min(concurrency, Runtime.getRuntime().availableProcessors()));
        return new LoadSpec(target, "localhost", "/", concurrency, duration, 0, 100_000_000L,
                ClientConnection.KEEPALIVE, threads);
    }

    public LoadSpec withConnection(ClientConnection c) {
        return new LoadSpec(target, hostHeader, path, concurrency, duration, rate, maxRequests, c, threads);
    }

    public LoadSpec withDuration(Duration d) {
        return new LoadSpec(target, hostHeader, path, concurrency, d, rate, maxRequests, connection, threads);
    }

    public LoadSpec withRate(long r) {
        return new LoadSpec(target, hostHeader, path, concurrency, duration, r, maxRequests, connection, threads);
    }
}

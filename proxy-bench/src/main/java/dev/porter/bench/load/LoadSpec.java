package dev.porter.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
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
 * @param targets      every address the connections are spread over, in turn ({@code target} first):
 *                     each destination address brings a local port range of its own, so a generator
 *                     with more connections than one range holds never runs out of ports itself
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
        int threads,
        List<InetSocketAddress> targets) {

    public LoadSpec {
        Objects.requireNonNull(target, "target");
        targets = List.copyOf(targets);
        if (targets.isEmpty() || !targets.get(0).equals(target)) {
            throw new IllegalArgumentException("targets must start with target " + target + ", was " + targets);
        }
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(connection, "connection");
        if (concurrency < 1 || threads < 1 || maxRequests < 1 || rate < 0) {
            throw new IllegalArgumentException("concurrency, threads and maxRequests must be >= 1, rate >= 0");
        }
    }

    /** Every connection to {@code target}. */
    public LoadSpec(InetSocketAddress target, String hostHeader, String path, int concurrency, Duration duration,
            long rate, long maxRequests, ClientConnection connection, int threads) {
        this(target, hostHeader, path, concurrency, duration, rate, maxRequests, connection, threads, List.of(target));
    }

    /** The address connection {@code i} goes to: the targets in turn. */
    public InetSocketAddress target(int i) {
        return targets.get(i % targets.size());
    }

    /** A closed loop with keepalive, a million-request cap and one thread per core (at most concurrency). */
    public static LoadSpec closedLoop(InetSocketAddress target, int concurrency, Duration duration) {
        int threads = Math.max(1, Math.min(concurrency, Runtime.getRuntime().availableProcessors()));
        return new LoadSpec(target, "localhost", "/", concurrency, duration, 0, 100_000_000L,
                ClientConnection.KEEPALIVE, threads);
    }

    public LoadSpec withConnection(ClientConnection c) {
        return new LoadSpec(target, hostHeader, path, concurrency, duration, rate, maxRequests, c, threads, targets);
    }

    public LoadSpec withDuration(Duration d) {
        return new LoadSpec(target, hostHeader, path, concurrency, d, rate, maxRequests, connection, threads, targets);
    }

    public LoadSpec withRate(long r) {
        return new LoadSpec(target, hostHeader, path, concurrency, duration, r, maxRequests, connection, threads, targets);
    }

    /** The connections spread over {@code all} in turn; the first becomes {@code target}. */
    public LoadSpec withTargets(List<InetSocketAddress> all) {
        return new LoadSpec(all.get(0), hostHeader, path, concurrency, duration, rate, maxRequests, connection, threads,
                all);
    }
}

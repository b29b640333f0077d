package dev.porter.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bench's HTTP/1.1 load generator, on Netty: {@code concurrency} connections
 * ({@link LoadUser}s) spread over a few event loops and over the spec's targets, each with one
 * request in flight.
 *
 * <p>Closed loop (rate 0): a user sends its next request when the last response ended.
 * Open loop: request {@code k} is due at {@code start + k / rate}; a user takes the next due
 * time, waits for it if it is in the future, and its latency is measured from that intended
 * time, not from when it was actually sent, so that a stalled server shows as latency instead
 * of as fewer samples (coordinated omission).
 *
 * <p>Bounded: no request starts after the duration or past {@code maxRequests}; in-flight ones
 * get a grace period, then every channel is closed and the event loops stop.
 */
public final class LoadGenerator {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final LoadSpec spec;
    private final LoadStats stats = new LoadStats();
    private final AtomicLong started = new AtomicLong();
    private long startNanos;
    private long deadlineNanos;

    public LoadGenerator(LoadSpec spec) {
        this.spec = spec;
    }

    /** Live counters, for samplers that run alongside. */
    public LoadStats stats() {
        return stats;
    }

    /** Runs the load to its end; blocks the calling thread (never call it from an event loop). */
    public LoadResult run() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(spec.threads(), io);
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
            CountDownLatch done = new CountDownLatch(spec.concurrency());
            List<LoadUser> users = new ArrayList<>(spec.concurrency());
            startNanos = System.nanoTime();
            deadlineNanos = startNanos + spec.duration().toNanos();
            for (int i = 0; i < spec.concurrency(); i++) {
                Bootstrap b = bootstrap.clone(group.next());
                users.add(new LoadUser(this, b, done, spec.target(i)));
            }
            users.forEach(u -> u.loop().execute(u::next));
            boolean finished = done.await(spec.duration().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
            long elapsed = System.nanoTime() - startNanos;
            users.forEach(u -> u.loop().execute(u::stop));
            return LoadResult.of(stats, Math.min(elapsed, spec.duration().toNanos()), !finished);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    LoadSpec spec() {
        return spec;
    }

    LoadStats statsInternal() {
        return stats;
    }

    /**
     * The intended send time of the next request, or -1 when the run is over (deadline or
     * request cap). Closed loop: now.
     */
    long claimNext(long now) {
        if (now >= deadlineNanos) {
            return -1;
        }
        long k = started.getAndIncrement();
        if (k >= spec.maxRequests()) {
            return -1;
        }
        if (spec.rate() == 0) {
            return now;
        }
        long due = startNanos + (long) (k * (1e9 / spec.rate()));
        return due >= deadlineNanos ? -1 : due;
    }

    /** The generator's socket channel class, for tests that want to know. */
    static Class<? extends SocketChannel> channelClass() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}

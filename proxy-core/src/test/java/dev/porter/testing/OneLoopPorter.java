package dev.porter.testing;

import dev.porter.transport.Transport;
import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.server.ClientChannelInitializer;
import dev.porter.server.Worker;
import dev.porter.upstream.UpstreamGroups;
import dev.porter.upstream.UpstreamServers;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Porter's request path (one {@link Worker}, its upstream groups and a listener) on one event
 * loop that the test owns, so that a test can {@link #hold()} the loop: whatever happens on
 * the sockets meanwhile is seen by Porter in one batch, in the order it happened. That makes
 * races deterministic, e.g. a request that arrives just before its pooled upstream connection
 * is reset. Built as {@link dev.porter.Porter#start} builds a worker; the configuration must
 * have one listener and {@code workers = 1}.
 */
public final class OneLoopPorter implements AutoCloseable {
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Worker worker;
    private final Channel listener;

    private OneLoopPorter(MultiThreadIoEventLoopGroup group, EventLoop loop, Worker worker, Channel listener) {
        this.group = group;
        this.loop = loop;
        this.worker = worker;
        this.listener = listener;
    }

    /** Starts on the native transport when it loads (as Porter does), listening on 127.0.0.1 port 0. */
    public static OneLoopPorter start(String configText) {
        ProxyConfig config = ConfigLoader.parse(configText, "test.conf");
        Transport transport = Transport.best();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("one-loop-porter"), transport.ioHandlerFactory());
        EventLoop loop = group.next();
        Worker worker = new Worker(loop, 0, config, UpstreamGroups.create(loop, 0, config,
                UpstreamServers.create(config, 28232), transport, Map.of()));
        Channel listener = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, config.writeBuffer())
                .childHandler(new ClientChannelInitializer(Map.of(loop, worker), config.listeners().get(0), null))
                .bind(config.listeners().get(0).address())
                .syncUninterruptibly()
                .channel();
        return new OneLoopPorter(group, loop, worker, listener);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public RawHttp connect() throws IOException {
        return new RawHttp(address());
    }

    /** The pools' counters, read on the loop. */
    /** Client connections open on the worker. */
    public int openConnections() throws Exception {
        return loop.submit(worker::openConnections).get(5, TimeUnit.SECONDS);
    }

    /** Queues the worker's shutdown (as {@link dev.porter.Porter#shutdownGracefully} does); returns at once, held or not. */
    public void beginShutdown() {
        loop.execute(worker::beginShutdown);
    }

    public List<PoolSnapshot> pools() {
        try {
            return loop.submit(worker::poolSnapshots).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Blocks the event loop until the returned hold is released; returns once the loop is held.
     * Release it before anything waits for Porter.
     */
    public Hold hold() throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!held.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the event loop did not take the hold");
        }
        return release::countDown;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        loop.submit(worker::closeAll).syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A held event loop; {@link #close()} lets it run again. */
    @FunctionalInterface
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }
}

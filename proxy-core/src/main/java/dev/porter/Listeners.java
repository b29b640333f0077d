package dev.porter;

import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.server.ClientChannelInitializer;
import dev.porter.server.Worker;
import dev.porter.tls.ListenerTls;
import dev.porter.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannelRecvByteBufAllocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Porter's listeners: bound once at start with the client connections' socket options, and
 * never changed by a reload (except their TLS material, which {@link Porter#reload} swaps).
 *
 * <p>Stateless; called from {@code main}'s thread, never from an event loop (binding blocks).
 */
final class Listeners {
    private Listeners() {
    }

    /**
     * The most connections a listener accepts each time its worker comes to it. Netty's epoll
     * listener takes one connection per pass by default (whether more are queued cannot be told
     * from accept's result, so it stops), and a worker passes over all its busy connections in
     * between: under load a burst of 1,000 new clients then waited seconds in the kernel's accept
     * queue (p99 7.5 s; with this, 0.3 s as with an idle thread of its own; docs/bench/2026-12-02-accept).
     * Bounded, so that a flood of connections still lets the worker serve the ones it has.
     */
    static final int ACCEPTS_PER_PASS = 64;

    /**
     * Binds every listener of {@code config}, in order, each on one of {@code group}'s workers in
     * turn, which accepts its connections and hands each to a worker in turn (with one worker,
     * to itself: no thread hand-over per connection). Blocks until bound. On a failure the
     * listeners already bound are closed and the group stopped.
     *
     * @throws UncheckedIOException when an address cannot be bound (with the address)
     */
    static List<Channel> bind(ProxyConfig config, EventLoopGroup group, Transport transport,
                              Map<EventLoop, Worker> workers, List<ListenerTls> listenerTls) {
        List<Channel> bound = new ArrayList<>();
    try {
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig listener = config.listeners().get(i);
            ChannelFuture f = bootstrap(listener, config, group, transport)
                    .childHandler(new ClientChannelInitializer(workers, listener, listenerTls.get(i)))
                    .bind(listener.address())
                    .awaitUninterruptibly();
            if (!f.isSuccess()) {
                throw new UncheckedIOException(new IOException("cannot listen on " + listener.address() + ": "
                        + f.cause().getMessage(), f.cause()));
            }
            bound.add(f.channel());
        }
    } catch (RuntimeException e) {
        for (Channel ch : bound) {
            ch.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        throw e;
    }
        return bound;
    }

    /** A listener's bootstrap with its socket options and those of its connections; no handlers yet. */
    static ServerBootstrap bootstrap(ListenerConfig listener, ProxyConfig config, EventLoopGroup group, Transport transport) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group, group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator()
                        .respectMaybeMoreData(false).maxMessagesPerRead(ACCEPTS_PER_PASS));
        if (listener.reusePort()) {
            // Another Porter may bind the same address: the way to restart without refusing anyone.
            transport.reusePort(bootstrap);
        }
        // No TCP_NODELAY child option: the accepted channel's config sets it when the channel
        // is made, and the option would repeat the setsockopt on every connection (TransportDefaultsTest).
        return bootstrap
                // Half-closure is seen as an event, so a client that sends its request and
                // then FIN still gets its response; the connection is closed right after.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, config.writeBuffer());
    }

    /** Why {@code next} cannot be applied without a restart, or null if it can. */
    static String changeRefused(ProxyConfig current, ProxyConfig next) {
        if (next.workers() != current.workers() || next.listeners().size() != current.listeners().size()) {
            return "listeners and workers cannot change on reload; restart Porter to change them";
        }
        if (next.transport() != current.transport()) {
            return "transport cannot change on reload; restart Porter to change it";
        }
        for (int i = 0; i < next.listeners().size(); i++) {
            ListenerConfig a = current.listeners().get(i);
            ListenerConfig b = next.listeners().get(i);
            if ((a.tls() == null) != (b.tls() == null)) {
                return "listener " + a.address() + ": turning TLS on or off needs a restart";
            }
            if (!a.withTls(null).equals(b.withTls(null))) {
                return "listeners cannot change on reload (except their tls settings); restart Porter to change them";
            }
        }
        return null;
    }
}

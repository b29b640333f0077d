package dev.porter.admin;

import dev.porter.observe.Addresses;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin listener: {@code GET /status} (JSON), {@code GET /metrics} (Prometheus text) and
 * {@code POST /reload}, on its own one-thread event loop so that it keeps answering while the
 * proxy's workers are saturated, and never slows them down.
 *
 * <p>It knows nothing of the proxy: the process ({@code dev.porter.cli}) hands it three
 * functions. They return futures, because gathering per-worker state or loading a file must not
 * run on this event loop; the response is written when the future completes.
 *
 * <p>Pipeline: {@code HttpServerCodec → HttpServerKeepAliveHandler → HttpObjectAggregator →
 * FlowControlHandler → AdminRequestHandler}. Aggregating is fine here: admin requests are tiny.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} are called from the controlling thread
 * ({@code main} or the shutdown hook), not concurrently.
 */
public final class AdminServer implements AutoCloseable {
    static final String CODEC = "codec";
    static final String KEEP_ALIVE = "keep-alive";
    static final String AGGREGATOR = "aggregator";
    static final String FLOW_CONTROL = "flow-control";
    static final String HANDLER = "admin";

    /** Admin requests carry no meaningful body; anything larger is refused with 413. */
    private static final int MAX_REQUEST_BODY = 64 * 1024;

    private final InetSocketAddress address;
    private final AdminRoutes routes;
    private EventLoopGroup group;
    private Channel serverChannel;

    /**
     * @param address where to listen; port 0 picks a free one
     * @param status  the object served as JSON by {@code GET /status}, null members left out
     *                ({@link StatusJson})
     * @param metrics the Prometheus exposition served by {@code GET /metrics}
     * @param reload  applies the configuration again; completes with a message for the
     *                operator, or exceptionally with what is wrong
     */
    public AdminServer(InetSocketAddress address,
                       Supplier<? extends CompletionStage<?>> status,
                       Supplier<? extends CompletionStage<String>> metrics,
                       Supplier<? extends CompletionStage<String>> reload) {
        this.address = Objects.requireNonNull(address, "address");
        this.routes = new AdminRoutes(
                Objects.requireNonNull(status, "status"),
                Objects.requireNonNull(metrics, "metrics"),
                Objects.requireNonNull(reload, "reload"));
    }

    /**
     * Binds and returns the bound address. Blocks until bound: call it from {@code main}.
     *
     * @throws UncheckedIOException wrapping a {@link BindException} whose message names the
     *                              address and the OS's reason
     */
    public InetSocketAddress start() {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("porter-admin"), NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(CODEC, new HttpServerCodec());
                        p.addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler());
                        p.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BODY));
                        // Responses may complete later; the handler pauses reading meanwhile and
                        // this holds back requests already decoded, so pipelined ones answer in order.
                        p.addLast(FLOW_CONTROL, new FlowControlHandler());
                        p.addLast(HANDLER, new AdminRequestHandler(routes));
                    }
                });
        ChannelFuture bind = b.bind(address).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            close();
            Throwable cause = bind.cause();
            BindException e = new BindException("cannot bind admin listener on " + Addresses.hostPort(address) + ": " + cause.getMessage());
            e.initCause(cause);
            throw new UncheckedIOException(e);
        }
        serverChannel = bind.channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops listening, closes open admin connections and stops the event loop. Idempotent. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
        }
        if (group != null) {
            // No quiet period: nothing in flight here is worth waiting for at shutdown.
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
    }
}

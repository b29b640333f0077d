package dev.porter.upstream;

import dev.porter.config.ConfigLoader;
import dev.porter.config.UpstreamConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.net.SocketAddress;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A {@link KeepalivePool} on in-JVM {@link LocalChannel}s, as Zuul tests its per-server pool:
 * one event loop for both ends, an upstream "server" that accepts and holds connections
 * ({@link #accepted()}, the server's end of each) and reads nothing into an HTTP codec, so a
 * test decides every close and every stray byte itself.
 *
 * <p>The pool's bootstrap is Porter's ({@link UpstreamChannelInitializer}), with one outbound
 * handler in front that sends the connect to the local address instead of the configured
 * server's socket address.
 */
final class LocalUpstream implements AutoCloseable {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final LocalAddress address = new LocalAddress(LocalUpstream.class);
    private final List<Channel> accepted = new CopyOnWriteArrayList<>();
    private Channel server;

    /** Starts listening; {@code listening = false} leaves the address unbound (connects are refused). */
    LocalUpstream(boolean listening) throws InterruptedException {
        if (listening) {
            server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new Accepting(accepted))
                    .bind(address).sync().channel();
        }
    }

    LocalUpstream() throws InterruptedException {
        this(true);
    }

    /** A pool of worker 0 toward this upstream; {@code extra} is HOCON inside {@code upstreams.app}. */
    KeepalivePool pool(String extra) {
        return pool(extra, 28232);
    }

    /** {@link #pool(String)} with {@code portRange} local ports toward the server (the port budget). */
    KeepalivePool pool(String extra, int portRange) {
        UpstreamConfig u = config("{ address = \"127.0.0.1:1\" }", extra);
        return new KeepalivePool(loop, 0, u, UpstreamServer.of(u, u.servers().get(0), portRange), bootstrap());
    }

    /**
     * A group of worker 0 whose servers (HOCON objects, e.g. with weights) all lead to this
     * upstream, so that a test can put connections in use on any of them.
     */
    UpstreamGroup group(String servers, String extra) {
        UpstreamConfig u = config(servers, extra);
        List<KeepalivePool> pools = new java.util.ArrayList<>();
        for (var server : u.servers()) {
            pools.add(new KeepalivePool(loop, 0, u, UpstreamServer.of(u, server, 28232), bootstrap()));
        }
        return new UpstreamGroup(u, pools);
    }

    private static UpstreamConfig config(String servers, String extra) {
        return ConfigLoader.parse("porter { listeners = [ { address = \"127.0.0.1:0\" } ]\n"
                + "upstreams { app { servers = [ " + servers + " ]\n" + extra + "\n } }\n"
                + "routes = [ { upstream = app } ] }", "test.conf").upstreams().get("app");
    }

    private Bootstrap bootstrap() {
        return new Bootstrap().group(loop).channel(LocalChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ToLocalAddress(address), new UpstreamChannelInitializer(null, null));
                    }
                });
    }

    EventLoop loop() {
        return loop;
    }

    /** The server's ends of the connections it accepted, in order. */
    List<Channel> accepted() {
        return accepted;
    }

    /** Runs {@code task} on the loop and returns its result: every pool method must run there. */
    <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** Acquires on the loop and waits for the connection (a connect completes on a later loop turn). */
    UpstreamHandler acquire(KeepalivePool pool, boolean fresh) throws Exception {
        Future<UpstreamHandler> f = onLoop(() -> pool.acquire(fresh));
        return f.get(5, TimeUnit.SECONDS);
    }

    /**
     * Until the connection is closed and its pool has counted the close. {@code isOpen()} turns
     * false before {@code channelInactive} runs (a later task on the loop), so a test that read the
     * pool's counters right after it could miss the close; the channel is deregistered in the same
     * task, after {@code channelInactive}.
     */
    static void awaitClosed(UpstreamHandler h) {
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(10))
                .until(() -> !h.channel().isOpen() && !h.channel().isRegistered());
    }

    /** Sends bytes from the server's end of connection {@code index}. */
    void send(int index, String text) throws Exception {
        accepted.get(index).writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1)).sync();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** The server's end: records each accepted connection and discards what it reads. */
    @ChannelHandler.Sharable
    private static final class Accepting extends ChannelInboundHandlerAdapter {
        private final List<Channel> accepted;

        Accepting(List<Channel> accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.add(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Sends the pool's connect to the local address: Porter's config holds socket addresses only. */
    private static final class ToLocalAddress extends ChannelOutboundHandlerAdapter {
        private final LocalAddress address;

        ToLocalAddress(LocalAddress address) {
            this.address = address;
        }

        @Override
        public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            ctx.connect(address, local, promise);
        }
    }
}

package dev.porter.bench.load;

import dev.porter.metrics.Errno;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds {@code count} idle keep-alive client connections to a target, each after one request
 * and its complete response, for the idle-connections scenario: how much memory a proxy spends
 * per connection a client keeps open. One Netty event loop; at most {@code parallelOpens}
 * connections being opened at once, so that the target's accept backlog never overflows (a
 * dropped SYN would cost a one-second retransmit and nothing else).
 *
 * <p>Every field but the latch and the group is confined to the one event loop.
 */
public final class IdleClients implements AutoCloseable {
    private final InetSocketAddress target;
    private final int count;
    private final int parallelOpens;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final ChannelGroup channels;
    private final Bootstrap bootstrap;
    private final CountDownLatch settled;
    private final Map<String, Long> failures = new TreeMap<>();
    private int started;
    private int inProgress;
    private int answered;
    private int non200;

    public IdleClients(InetSocketAddress target, int count, int parallelOpens) {
        this.target = target;
        this.count = count;
        this.parallelOpens = parallelOpens;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, io);
        this.loop = group.next();
        this.channels = new DefaultChannelGroup(loop);
        this.settled = new CountDownLatch(count);
        this.bootstrap = new Bootstrap().group(loop)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec());
                        ch.pipeline().addLast("once", new OneResponse());
                    }
                });
    }

    /**
     * What opening the connections came to.
     *
     * @param held     connections open after their response
     * @param failures failed connects or requests by errno, or by what went wrong
     */
    public record Outcome(int held, int answered, int non200, Map<String, Long> failures, boolean timedOut) {
    }

    /** Opens the connections and waits, at most {@code timeout}, until each was answered or failed. */
    public Outcome open(Duration timeout) throws InterruptedException {
        loop.execute(this::startMore);
        boolean done = settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return loop.submit(() -> new Outcome(channels.size(), answered, non200, Map.copyOf(failures), !done))
                    .get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Outcome(channels.size(), -1, -1, Map.of(), true);
        }
    }

    /** Connections still open now (a proxy's idle timeout would close them). */
    public int open() {
        return channels.size();
    }

    private void startMore() {
        while (inProgress < parallelOpens && started < count) {
            started++;
            inProgress++;
            bootstrap.connect(target).addListener(f -> {
                if (f.isSuccess()) {
                    Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
                            Unpooled.EMPTY_BUFFER);
                    req.headers().set(HttpHeaderNames.HOST, "localhost");
                    ch.writeAndFlush(req, ch.voidPromise());
                } else {
                    settle(Errno.classify(f.cause()));
                }
            });
        }
    }

    /** One connection is done opening: answered (reason null) or failed. */
    private void settle(String failure) {
        if (failure != null) {
            failures.merge(failure, 1L, Long::sum);
        }
        inProgress--;
        settled.countDown();
        startMore();
    }

    @Override
    public void close() {
        channels.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Waits for the one response of its connection, then keeps the connection open and idle. */
    private final class OneResponse extends SimpleChannelInboundHandler<HttpObject> {
        private boolean done;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse r && r.status().code() != 200) {
                non200++;
            }
            if (msg instanceof LastHttpContent && !done) {
                done = true;
                answered++;
                channels.add(ctx.channel());
                settle(null);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done) {
                done = true;
                settle("closed before response");
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!done) {
                done = true;
                settle(Errno.classify(cause));
            }
            ctx.close();
        }
    }
}

package dev.porter.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cheap HTTP/1.1 keep-alive origin on Netty for load tests: answers every request with
 * {@code 200 ok}, after {@code ?delay=<ms>} if the target asks, or once {@code ?hold=<n>}
 * connections are open at the same time (at most a minute), without a thread per
 * connection (so thousands of slow requests cost nothing), and honours {@code Connection:
 * close} by closing after the response (it then holds the TIME_WAIT). Counts its open
 * connections and their peak.
 */
public final class StaticOrigin implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    public StaticOrigin(InetSocketAddress address) {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(64 * 1024), new Responder());
                    }
                }).bind(address).syncUninterruptibly().channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    public int open() {
        return open.get();
    }

    public int peakOpen() {
        return peakOpen.get();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Responder extends SimpleChannelInboundHandler<HttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
            requests.incrementAndGet();
            java.util.Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
            List<String> delay = query.get("delay");
            List<String> hold = query.get("hold");
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
            // HttpServerKeepAliveHandler reads the request's Connection header from here.
            if (hold != null) {
                respondWhenOpen(ctx, response, Integer.parseInt(hold.get(0)), System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
            } else if (delay == null) {
                ctx.writeAndFlush(response);
            } else {
                ctx.executor().schedule(() -> ctx.writeAndFlush(response), Long.parseLong(delay.get(0)),
                        TimeUnit.MILLISECONDS);
            }
        }

        private void respondWhenOpen(ChannelHandlerContext ctx, FullHttpResponse response, int connections, long deadline) {
            if (open.get() >= connections || System.nanoTime() - deadline > 0) {
                ctx.writeAndFlush(response);
            } else {
                ctx.executor().schedule(() -> respondWhenOpen(ctx, response, connections, deadline), 20, TimeUnit.MILLISECONDS);
            }
        }
    }
}

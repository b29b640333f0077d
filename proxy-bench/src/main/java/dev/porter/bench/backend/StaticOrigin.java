package dev.porter.bench.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The static origin when nginx is not installed: a minimal Netty HTTP/1.1 server on one event
 * loop answering every request with {@code 200} and the 6-byte body {@code hello\n}, the same
 * answer as the nginx origin ({@code return 200}), keep-alive without a request limit or idle
 * timeout, so that it never closes a pooled connection first.
 *
 * <p>Pipeline: {@code HttpServerCodec → Responder}. Request parts are released as they arrive;
 * the answer goes out when the request's last part did. The body is one shared, unreleasable
 * buffer, duplicated per response. Not thread-safe: start and close from one thread.
 */
public final class StaticOrigin implements AutoCloseable {
    static final byte[] BODY = "hello\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf SHARED_BODY = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(BODY).asReadOnly());

    private final String host;
    private final int port;
    private EventLoopGroup group;
    private Channel server;

    /** An origin on {@code host:port}; port 0 takes any free port. */
    public StaticOrigin(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Binds and returns the address it listens on. */
    public InetSocketAddress start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(1, io);
        server = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpServerCodec());
                        ch.pipeline().addLast("responder", new Responder());
                    }
                })
                .bind(host, port).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    /** Answers each request when its last part arrived; confined to the connection's event loop. */
    private static final class Responder extends SimpleChannelInboundHandler<HttpObject> {
        private boolean keepAlive;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest req) {
                keepAlive = HttpUtil.isKeepAlive(req);
            }
            if (msg instanceof LastHttpContent) {
                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        SHARED_BODY.duplicate());
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
                resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
                if (!keepAlive) {
                    resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.writeAndFlush(resp, ctx.voidPromise());
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a client that vanished mid-request: nothing to answer, nobody to tell
            ctx.close();
        }
    }
}

package dev.porter.bench.load;

import dev.porter.metrics.Errno;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One virtual user of the {@link LoadGenerator}: one connection at a time, one request in
 * flight on it. Confined to its event loop (every field is touched only there).
 *
 * <p>Pipeline of its channel: {@code HttpClientCodec → ResponseHandler}. Response parts are
 * released by {@link SimpleChannelInboundHandler}; nothing is aggregated.
 */
final class LoadUser {
    private static final long CONNECT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LoadGenerator generator;
    private final Bootstrap bootstrap;
    private final CountDownLatch done;
    private final InetSocketAddress target;
    private Channel channel;
    private long intended;
    private int status;
    private boolean inFlight;
    private boolean finished;

    LoadUser(LoadGenerator generator, Bootstrap bootstrap, CountDownLatch done, InetSocketAddress target) {
        this.generator = generator;
        this.target = target;
        this.bootstrap = bootstrap.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("codec", new HttpClientCodec());
                ch.pipeline().addLast("response", new ResponseHandler());
            }
        });
        this.done = done;
    }

    EventLoop loop() {
        return (EventLoop) bootstrap.config().group();
    }

    /** Claims the next request and sends it, now or at its intended time. */
    void next() {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        long due = generator.claimNext(now);
        if (due < 0) {
            finish();
            return;
        }
        intended = due;
        if (due > now) {
            loop().schedule(this::send, due - now, TimeUnit.NANOSECONDS);
        } else {
            send();
        }
    }

    private void send() {
        if (finished) {
            return;
        }
        if (channel != null && channel.isActive()) {
            write(channel);
            return;
        }
        ChannelFuture f = bootstrap.connect(target);
        f.addListener(r -> {
            if (r.isSuccess()) {
                generator.statsInternal().connected();
                channel = f.channel();
                write(channel);
            } else {
                generator.statsInternal().connectError(Errno.classify(r.cause()));
                // back off a little: a failing connect() returns at once and would spin the loop
                loop().schedule(this::next, CONNECT_RETRY_NANOS, TimeUnit.NANOSECONDS);
            }
        });
    }

    private void write(Channel ch) {
        LoadSpec spec = generator.spec();
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, spec.path(),
                Unpooled.EMPTY_BUFFER);
        req.headers().set(HttpHeaderNames.HOST, spec.hostHeader());
        if (spec.connection() == ClientConnection.CLOSE_HEADER) {
            req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        inFlight = true;
        status = 0;
        ch.writeAndFlush(req, ch.voidPromise());
    }

    private void responseEnded(Channel ch, boolean serverKeepsAlive) {
        inFlight = false;
        generator.statsInternal().response(status, System.nanoTime() - intended);
        if (!serverKeepsAlive || generator.spec().connection() != ClientConnection.KEEPALIVE) {
            channel = null;
            ch.close();
        }
        next();
    }

    private void failed(Channel ch, String kind) {
        if (ch != channel) {
            return;
        }
        channel = null;
        ch.close();
        if (inFlight) {
            inFlight = false;
            generator.statsInternal().ioError(kind);
            next();
        }
    }

    /** Closes the connection after the run (or its grace period) ended. */
    void stop() {
        finish();
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private void finish() {
        if (!finished) {
            finished = true;
            done.countDown();
        }
        if (channel != null && !inFlight) {
            channel.close();
            channel = null;
        }
    }

    /** The per-channel end of a user: status, end of response, and the channel's death. */
    private final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {
        private boolean keepAlive;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
                keepAlive = HttpUtil.isKeepAlive(r);
            }
            if (msg instanceof LastHttpContent) {
                responseEnded(ctx.channel(), keepAlive);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failed(ctx.channel(), "closed before response");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(ctx.channel(), Errno.classify(cause));
        }
    }
}

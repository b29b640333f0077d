package dev.porter.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Right after the TLS handler ({@code tls → tls-handshake → limits → ...}): holds the rest of
 * the client pipeline back until the TLS handshake has completed, and closes a connection
 * whose handshake has not completed within the listener's {@code handshake-timeout}, counted
 * from accept (a client that connects and sends nothing, or never finishes).
 *
 * <p>The rest of the pipeline sees {@code channelActive} only once the handshake succeeded,
 * so connection limits, timeouts and the proxy start with a connection that can carry HTTP;
 * they never see a connection that failed its handshake (neither active nor inactive), as
 * with a connection {@code ClientLimitHandler} refuses. Handshake errors end here, at DEBUG:
 * they are the client's, and scanners make many. Once the handshake is done this handler
 * leaves the pipeline.
 *
 * <p>Confined to the channel's event loop.
 */
final class ClientTlsHandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger logger = LoggerFactory.getLogger(ClientTlsHandshakeHandler.class);

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean done;

    ClientTlsHandshakeHandler(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startTimer(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Not passed on: for the rest of the pipeline the connection starts with its handshake done.
        startTimer(ctx);
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (timer == null && !done) {
            timer = ctx.executor().schedule(() -> {
                logger.debug("{} TLS handshake timeout", ctx.channel());
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (done) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent e) {
            cancelTimer();
            if (e.isSuccess()) {
                done = true;
                ctx.fireChannelActive();
                ctx.pipeline().remove(this);
            } else {
                logger.debug("{} TLS handshake failed: {}", ctx.channel(), e.cause().toString());
                ctx.close();
            }
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // The client half-closed before its handshake ended: it will never end.
            ctx.close();
        }
        // Other events before the handshake (SNI completion...) concern nobody further on.
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            ctx.fireChannelRead(msg);
            return;
        }
        // Nothing is decrypted before the handshake completes; drop whatever it may be.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (done) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        if (done) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        logger.debug("{} TLS error before the handshake completed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}

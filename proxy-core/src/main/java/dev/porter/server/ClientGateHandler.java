package dev.porter.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * What the gates of a client pipeline share: a gate holds the rest of the pipeline back until
 * the connection is ready to carry HTTP (its PROXY header read, {@link ClientProxyProtocolHandler};
 * its TLS handshake done, {@link ClientTlsHandshakeHandler}), then {@link #open}s: the rest sees
 * {@code channelActive} only then, and the gate leaves the pipeline. Until then nothing goes
 * further: not the connection's start, not what it sends, not its events, errors or end. A
 * connection that is not ready within the gate's timeout (counted from accept), that half-closes
 * first, or that fails is closed, and the rest of the pipeline never sees it at all.
 *
 * <p>Only the way a gate learns that the connection is ready differs, in the subclass: a message
 * ({@link #readBeforeOpen}) or an event ({@link #eventBeforeOpen}). Errors end at the gate, at
 * DEBUG: they are the client's (anyone who reaches the port can send anything), and scanners make
 * many.
 *
 * <p>First in the client pipeline, each right after the handler whose outcome it waits for:
 * {@code [proxy-protocol-decoder → proxy-protocol →] [tls → tls-handshake →] [limits →] client}.
 * Confined to the channel's event loop.
 */
abstract class ClientGateHandler extends ChannelInboundHandlerAdapter {
    private static final Logger logger = LoggerFactory.getLogger(ClientGateHandler.class);

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean open;

    ClientGateHandler(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** What the connection waits for, in log lines: "PROXY protocol header", "TLS handshake". */
    abstract String awaited();

    /** A message before the gate opened; the gate owns it. Nothing passes before the connection is ready. */
    void readBeforeOpen(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    /** The end of a read before the gate opened. */
    void readCompleteBeforeOpen(ChannelHandlerContext ctx) {
    }

    /** An event before the gate opened, other than the half-close; released by the caller. */
    void eventBeforeOpen(ChannelHandlerContext ctx, Object evt) {
    }

    /** The connection is ready: the rest of the pipeline sees it start now, and the gate leaves. */
    final void open(ChannelHandlerContext ctx) {
        open = true;
        cancelTimer();
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    /** The connection will never be ready: it ends here, unseen by the rest of the pipeline. */
    final void refuse(ChannelHandlerContext ctx, Throwable cause) {
        logger.debug("{} {} failed: {}", ctx.channel(), awaited(), cause.toString());
        ctx.close();
    }

    @Override
    public final void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startTimer(ctx);
        }
    }

    @Override
    public final void channelActive(ChannelHandlerContext ctx) {
        // Not passed on: for the rest of the pipeline the connection starts when the gate opens.
        startTimer(ctx);
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (timer == null && !open) {
            timer = ctx.executor().schedule(() -> {
                logger.debug("{} {} timeout", ctx.channel(), awaited());
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (open) {
            ctx.fireChannelRead(msg);
        } else {
            readBeforeOpen(ctx, msg);
        }
    }

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        if (open) {
            ctx.fireChannelReadComplete();
        } else {
            readCompleteBeforeOpen(ctx);
        }
    }

    @Override
    public final void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (open) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            // The client half-closed before the connection was ready: it never will be.
            ctx.close();
        } else {
            eventBeforeOpen(ctx, evt);
        }
        // Events before the gate opens (SNI completion...) concern nobody further on.
        ReferenceCountUtil.release(evt);
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        if (open) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (open) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        refuse(ctx, cause);
    }

    @Override
    public final void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}

package dev.porter.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a {@link Tunnel}: what its channel reads is written to the other side's channel
 * (from this handler's place in that pipeline, so through its TLS, if any), flushed at the end
 * of each read burst; this channel is not read while the other cannot take more. Its FIN
 * becomes the other side's output shutdown, its close the other side's close, once what was
 * written before has gone out.
 *
 * <p>It sits in front of the connection's HTTP handler, which from then on sees nothing but
 * the close ({@code channelInactive} is passed on, so that connection counts stay right):
 * {@code [tls →] [limits →] tunnel → client} and {@code [tls →] tunnel → handler}.
 * Confined to the event loop of the tunnel.
 */
final class TunnelHandler extends ChannelDuplexHandler {
    private static final Logger logger = LoggerFactory.getLogger(TunnelHandler.class);

    private final Tunnel tunnel;
    private final boolean clientSide;
    TunnelHandler peer;
    ChannelHandlerContext ctx;
    long bytesIn;
    /** This side sent its FIN. */
    private boolean inputShut;
    /** Porter sent this side a FIN (or is closing it): nothing more is written to it. */
    private boolean outputDone;
    /** Something was written to this side since its last flush. */
    private boolean unflushed;

    TunnelHandler(Tunnel tunnel, boolean clientSide) {
        this.tunnel = tunnel;
        this.clientSide = clientSide;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    private Channel channel() {
        return ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf data)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        tunnel.activity();
        forward(data);
    }

    /** Writes what this side sent to the other side (not flushed yet); takes ownership. */
    void forward(ByteBuf data) {
        if (data == null) {
            return;
        }
        if (!data.isReadable() || peer.outputDone || !peer.channel().isActive()) {
            data.release();
            return;
        }
        bytesIn += data.readableBytes();
        peer.unflushed = true;
        peer.ctx.write(data.touch(clientSide ? "tunnel to upstream" : "tunnel to client"), peer.ctx.voidPromise());
        if (!peer.channel().isWritable()) {
            // Backpressure: the other side's buffer is past its high mark; read on once it drains.
            channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushPeer();
    }

    void flushPeer() {
        if (peer.unflushed) {
            peer.unflushed = false;
            peer.ctx.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side drained below its low mark (or filled up): read the other side accordingly.
        if (!peer.inputShut && peer.channel().isActive()) {
            peer.channel().config().setAutoRead(channel().isWritable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // A TLS side's close_notify is its FIN, whether or not a TCP FIN follows: it sends
        // nothing more (and Netty's OpenSSL engine will not send to it either, so whatever the
        // other side answers ends the tunnel when it cannot be written).
        boolean closeNotify = evt instanceof SslCloseCompletionEvent closed && closed.isSuccess();
        if ((evt instanceof ChannelInputShutdownEvent || closeNotify) && !inputShut) {
            inputShut = true;
            tunnel.ended(clientSide ? Tunnel.End.CLIENT_CLOSED : Tunnel.End.UPSTREAM_CLOSED);
            if (peer.inputShut) {
                // Both directions are done.
                tunnel.closeBoth();
            } else {
                peer.shutdownOutputAfterWrites();
            }
        }
        // The HTTP handler behind must not act on what belongs to the tunnel now (a FIN, TLS events).
        ReferenceCountUtil.release(evt);
    }

    /** Half-close carried across: a FIN to this side once what is pending was written. */
    private void shutdownOutputAfterWrites() {
        if (outputDone || !channel().isActive()) {
            return;
        }
        outputDone = true;
        unflushed = false;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            Channel ch = f.channel();
            if (ch instanceof DuplexChannel duplex && ch.pipeline().get(SslHandler.class) == null) {
                duplex.shutdownOutput();
            } else {
                // A TLS connection cannot half-close under TLS (close_notify ends both
                // directions), and a channel that is no socket cannot at all: close it.
                ch.close();
            }
        });
    }

    /** Closes this side once what is pending was written. */
    void closeAfterWrites() {
        if (!channel().isActive()) {
            return;
        }
        outputDone = true;
        unflushed = false;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inputShut = true;
        tunnel.ended(clientSide ? Tunnel.End.CLIENT_CLOSED : Tunnel.End.UPSTREAM_CLOSED);
        peer.closeAfterWrites();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        logger.debug("{} tunnel error on the {} side: {}", ctx.channel(), clientSide ? "client" : "upstream",
                cause.toString());
        tunnel.failed();
    }
}

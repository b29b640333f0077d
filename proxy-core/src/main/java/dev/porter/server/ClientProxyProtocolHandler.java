package dev.porter.server;

import dev.porter.client.ClientAddress;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol.AddressFamily;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * On a listener with {@code proxy-protocol = true}, right after Netty's
 * {@link HAProxyMessageDecoder}, first in the pipeline because a balancer sends the PROXY
 * header before anything else, TLS included:
 * {@code proxy-protocol-decoder → proxy-protocol → [tls → tls-handshake →] limits → ...}.
 * It holds the rest of the pipeline back until the connection's PROXY header (v1 or v2) has
 * been decoded, makes the address the header names the connection's ({@link ClientPeer}), and
 * only then lets the rest see the connection become active, so that the connection limits
 * admit it by that address; then it leaves the pipeline. The decoder removes itself once the
 * header is read and hands on the bytes that followed it (the request, or the TLS ClientHello).
 *
 * <p>A connection without a valid header is closed and nothing it sent goes further: the decoder
 * closes on a header it cannot read (a plain HTTP request included), and this handler closes a
 * connection whose header is not complete within {@code proxy-protocol-timeout} of being
 * accepted, or that half-closes first. The rest of the pipeline never sees such a connection,
 * neither active nor inactive, as with a failed TLS handshake.
 *
 * <p>The header's source address is used for a proxied TCP or UDP connection over IPv4 or IPv6.
 * For a {@code LOCAL} header (the balancer's own health check), an {@code UNKNOWN} protocol or a
 * UNIX-socket source the connection keeps its socket's address, as the PROXY protocol
 * specification asks of a receiver (sections 2.1 and 2.2).
 *
 * <p>Confined to the channel's event loop.
 */
final class ClientProxyProtocolHandler extends ChannelInboundHandlerAdapter {
    private static final Logger logger = LoggerFactory.getLogger(ClientProxyProtocolHandler.class);

    private final ClientPeer peer;
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean done;

    ClientProxyProtocolHandler(ClientPeer peer, long timeoutNanos) {
        this.peer = peer;
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
        // Not passed on: for the rest of the pipeline the connection starts once its header is read.
        startTimer(ctx);
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (timer == null && !done) {
            timer = ctx.executor().schedule(() -> {
                logger.debug("{} PROXY protocol header timeout", ctx.channel());
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage header) {
            try {
                if (!done) {
                    accept(ctx, header);
                }
            } finally {
                header.release();
            }
            return;
        }
        if (done) {
            ctx.fireChannelRead(msg);
            return;
        }
        // What followed a header the decoder refused (it closes the connection): never forwarded.
        ReferenceCountUtil.release(msg);
    }

    private void accept(ChannelHandlerContext ctx, HAProxyMessage header) {
        done = true;
        cancelTimer();
        ClientAddress source = sourceOf(header);
        if (source != null) {
            peer.proxied(source);
        }
        logger.debug("{} PROXY {} {} {}: client {}", ctx.channel(), header.protocolVersion(), header.command(),
                header.proxiedProtocol(), peer.address());
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    /** The proxied connection's source, or null when the connection keeps its socket's address. */
    private static ClientAddress sourceOf(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY) {
            return null;
        }
        AddressFamily family = header.proxiedProtocol().addressFamily();
        if (family != AddressFamily.AF_IPv4 && family != AddressFamily.AF_IPv6) {
            return null;
        }
        // The decoder checked that the source is an address literal: no lookup here.
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress());
        try {
            return bytes == null ? null : ClientAddress.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (done) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (done) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            // The client half-closed before its header was complete: it never will be.
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
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
        // Anyone who reaches the port can send anything: the client's error, at DEBUG.
        logger.debug("{} invalid PROXY protocol header: {}", ctx.channel(), cause.toString());
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

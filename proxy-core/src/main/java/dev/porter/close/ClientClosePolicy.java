package dev.porter.close;

import dev.porter.config.CloseInitiator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Ends a client connection the way the listener's {@code close-initiator} says, which decides
 * where its TIME_WAIT lands, for every reason a connection ends: after a response that said
 * {@code Connection: close}, a keep-alive timeout, a refusal at accept ({@code max-connections}),
 * a refused request ({@code rate-per-ip}), an error answered before the request was read.
 *
 * <ul>
 *   <li>{@code reset}: SO_LINGER 0, an RST (no TIME_WAIT anywhere; unsafe).</li>
 *   <li>{@code client}: the response said Connection: close; Porter reads and drops whatever the
 *       client still sends until its FIN, then closes (TIME_WAIT on the client), or closes itself
 *       after {@code linger-timeout}.</li>
 *   <li>{@code proxy}: Porter closes. When the client may still be sending (its request was not
 *       read to the end), a plain close would make the kernel answer the unread bytes with an RST
 *       that can destroy the response before the client reads it; so Porter sends its FIN
 *       (output shutdown) and reads and drops until the client's FIN or {@code linger-timeout}:
 *       nginx's lingering close.</li>
 * </ul>
 *
 * <p>The dropping is done by a handler put first in the pipeline (after TLS), so that nothing
 * behind it decodes or answers what the client sends meanwhile. Called on the channel's event
 * loop.
 */
public final class ClientClosePolicy {
    static final String LINGER = "linger";

    private ClientClosePolicy() {
    }

    /**
     * @param clientMaySend the client has not finished sending (a request not read to its end,
     *                      or one refused unread); false after a complete exchange
     * @param inputClosed   the client already sent its FIN
     */
    public static void close(Channel ch, CloseInitiator how, long lingerNanos, boolean clientMaySend, boolean inputClosed) {
        if (!ch.isActive()) {
            return;
        }
        if (how == CloseInitiator.RESET) {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
            ch.close();
        } else if (inputClosed) {
            ch.close();
        } else if (how == CloseInitiator.PEER) {
            linger(ch, lingerNanos);
        } else if (clientMaySend && ch instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
            linger(ch, lingerNanos);
        } else {
            ch.close();
        }
    }

    private static void linger(Channel ch, long lingerNanos) {
        ChannelPipeline p = ch.pipeline();
        if (p.get(LINGER) != null) {
            return;
        }
        Linger linger = new Linger(lingerNanos);
        ChannelHandlerContext tls = p.context(SslHandler.class);
        if (tls != null) {
            p.addAfter(tls.name(), LINGER, linger);
        } else {
            p.addFirst(LINGER, linger);
        }
        ch.config().setAutoRead(true);
    }

    /** Drops what the client sends until its FIN, or the timer, then closes. */
    private static final class Linger extends ChannelInboundHandlerAdapter {
        private final long nanos;
        private ScheduledFuture<?> timer;

        Linger(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            timer = ctx.executor().schedule(() -> {
                ctx.close();
            }, nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // Nothing read here goes further.
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close();
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            timer.cancel(false);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

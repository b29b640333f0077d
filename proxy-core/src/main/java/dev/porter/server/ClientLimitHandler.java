package dev.porter.server;

import dev.porter.close.ClientClosePolicy;
import dev.porter.config.CloseInitiator;
import dev.porter.metrics.ClientStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Admits a new client connection or refuses it, by the listener's {@code max-connections}
 * and {@code max-connections-per-ip} ({@link ListenerLimits}); an admitted connection is
 * counted until it closes, and keeps its address's state for {@link ClientRateLimit}.
 *
 * <p>A refused connection is answered at once with a bare {@code 503 Service Unavailable}
 * (as nginx's {@code limit_conn_status}), written as raw bytes because no request has been
 * read and none will be: the rest of the pipeline never sees the connection become active.
 * The connection then ends by the listener's {@code close-initiator} ({@link ClientClosePolicy}),
 * as one whose request was never read: what the client sends is dropped until its FIN, or for
 * at most {@code linger-timeout}, so that its unread bytes never turn the 503 into an RST.
 *
 * <p>First in the client pipeline, where it sees the connection before anything else does:
 * {@code [limits →] client}; on a
 * TLS listener only the TLS handlers come first, so it sees the connection (and its 503 goes
 * out encrypted) once the handshake is done; on a PROXY listener the PROXY handlers come
 * before those, so it sees the connection once its header arrived, and counts it by the
 * header's source address ({@link ClientPeer}). A real IP named in a header
 * ({@code set-real-ip-from}) plays no part here: it is a request's, and a connection is
 * admitted before any request is read.
 * Added only when the listener has a connection or rate limit. Confined to the channel's
 * event loop; the {@link ListenerLimits} it shares with the listener's other connections is
 * thread-safe.
 */
final class ClientLimitHandler extends ChannelInboundHandlerAdapter {
    private static final Logger logger = LoggerFactory.getLogger(ClientLimitHandler.class);

    private static final String BODY = "503 Service Unavailable\n";
    private static final String REFUSAL = "HTTP/1.1 503 Service Unavailable\r\n"
            + "Server: porter\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: " + BODY.length() + "\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + BODY;

    private final ListenerLimits limits;
    private final ClientPeer peer;
    private final ClientStats stats;
    private final CloseInitiator closeInitiator;
    private final long lingerNanos;
    /** Counted on the listener: undone when the channel closes. */
    private boolean counted;
    private InetAddress ip;
    private ListenerLimits.AddressState address;
    private boolean refused;

    ClientLimitHandler(ListenerLimits limits, ClientPeer peer, ClientStats stats, CloseInitiator closeInitiator,
                       long lingerNanos) {
        this.limits = limits;
        this.peer = peer;
        this.stats = stats;
        this.closeInitiator = closeInitiator;
        this.lingerNanos = lingerNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!limits.tryOpen()) {
            logger.debug("{} refused: listener max-connections reached", ctx.channel());
            refuse(ctx);
            return;
        }
        counted = true;
        if (limits.perAddress()) {
            // The socket's peer, or on a PROXY listener the header's source: this runs once it arrived.
            InetAddress remote = peer.address().ip();
            if (remote != null) {
                address = limits.tryOpen(remote);
                if (address == null) {
                    logger.debug("{} refused: max-connections-per-ip reached", ctx.channel());
                    refuse(ctx);
                    return;
                }
                ip = remote;
                peer.admitted(address);
            }
        }
        ctx.fireChannelActive();
    }

    private void refuse(ChannelHandlerContext ctx) {
        refused = true;
        stats.response(503);
        ByteBuf response = ctx.alloc().buffer(REFUSAL.length()).writeBytes(REFUSAL.getBytes(StandardCharsets.US_ASCII));
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                // The request was never read: the client may still be sending it.
                ClientClosePolicy.close(f.channel(), closeInitiator, lingerNanos, true, false);
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            // The request of a refused connection: dropped unread, see the class comment.
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!refused) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (refused) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close();
            }
            ReferenceCountUtil.release(evt);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            counted = false;
            limits.closed();
        }
        if (address != null) {
            limits.closed(ip, address);
            address = null;
        }
        if (!refused) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (refused) {
            logger.debug("{} refused connection error: {}", ctx.channel(), cause.toString());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}

package dev.porter.server;

import dev.porter.config.ListenerConfig;
import dev.porter.timer.Deadline;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * The client connection's timeouts, on its one {@link Deadline}, whose meaning follows the
 * exchange: waiting for a request (keepalive-timeout), receiving its header block
 * (client-header-timeout, counted from its first byte and not extended by later bytes, so a
 * slowloris cannot hold it), and receiving its body (client-body-timeout between two reads). On
 * expiry it fires a {@link ClientTimeout} user event for {@link ClientConnectionHandler}.
 *
 * <p>Sits before the codec, where it sees raw bytes:
 * {@code [limits →] send-timeout → timeouts → client}.
 * Confined to the channel's event loop.
 */
final class ClientTimeoutHandler extends ChannelDuplexHandler {
    private enum Mode { NONE, AWAIT_REQUEST, HEADER, BODY }

    private final long keepaliveNanos;
    private final long headerNanos;
    private final long bodyNanos;
    private ChannelHandlerContext ctx;
    private Deadline deadline;
    private Mode mode = Mode.NONE;
    private final Runnable onExpiry = this::expired;

    ClientTimeoutHandler(ListenerConfig listener) {
        this.keepaliveNanos = listener.keepaliveTimeout().toNanos();
        this.headerNanos = listener.clientHeaderTimeout().toNanos();
        this.bodyNanos = listener.clientBodyTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        deadline = new Deadline(ctx.executor());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (mode == Mode.AWAIT_REQUEST) {
            arm(Mode.HEADER, headerNanos, Long.MAX_VALUE);
        } else if (mode == Mode.BODY) {
            deadline.extend(bodyNanos);
        }
        ctx.fireChannelRead(msg);
    }

    /** Between requests (and before the first one). */
    void awaitRequest() {
        // Checks no later than a header timeout from now, so that the header deadline armed by
        // the next request's first byte never needs a task of its own: one wakeup per idle period.
        arm(Mode.AWAIT_REQUEST, keepaliveNanos, headerNanos);
    }

    /** A request head was decoded; its body, if any, follows. */
    void requestHead(boolean bodyFollows) {
        if (bodyFollows) {
            arm(Mode.BODY, bodyNanos, Long.MAX_VALUE);
        } else {
            disarm();
        }
    }

    /** The request is complete: from here the upstream's timeouts apply. */
    void disarm() {
        mode = Mode.NONE;
        deadline.disarm();
    }

    private void arm(Mode m, long nanos, long checkWithin) {
        mode = m;
        deadline.arm(nanos, checkWithin, onExpiry);
    }

    private void expired() {
        Mode expired = mode;
        mode = Mode.NONE;
        if (expired == Mode.NONE || !ctx.channel().isActive()) {
            return;
        }
        ctx.fireUserEventTriggered(switch (expired) {
            case AWAIT_REQUEST -> ClientTimeout.KEEPALIVE;
            case HEADER -> ClientTimeout.HEADER;
            default -> ClientTimeout.BODY;
        });
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        mode = Mode.NONE;
        deadline.cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        mode = Mode.NONE;
        deadline.cancel();
        ctx.fireChannelInactive();
    }
}

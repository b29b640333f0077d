package dev.porter.tunnel;

import dev.porter.timer.Deadline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;

/**
 * A byte tunnel between a client connection and an upstream connection, after an upgrade (a
 * WebSocket handshake answered 101): whatever one side sends is written to the other as it
 * came, until both are closed. One {@link TunnelHandler} on each channel does the moving;
 * this object holds what the two share: the idle deadline ({@code tunnel-timeout}, HAProxy's
 * {@code timeout tunnel}: no byte either way for that long closes both), the byte counts, and
 * how the tunnel ended.
 *
 * <p>Carried across, as a TCP relay must: backpressure (a side is not read while the other
 * cannot take more, by writability), half-close (a side's FIN, or a TLS side's close_notify,
 * becomes a FIN to the other side once what came before it is written; the tunnel closes when
 * both directions are done), and close (a side that closes or fails closes the other after what
 * is pending was written).
 *
 * <p>Use: write the 101 to the client, put {@link #clientHandler()} and
 * {@link #upstreamHandler()} into the two pipelines in front of their HTTP handlers (which then
 * see no more reads, only the close), then {@link #start}. Confined to the one event loop the
 * two connections share.
 */
public final class Tunnel {
    /** How a tunnel ended: what happened first. */
    public enum End {
        /** The client closed (or half-closed) first. */
        CLIENT_CLOSED,
        /** The upstream closed (or half-closed) first. */
        UPSTREAM_CLOSED,
        /** No byte either way for the tunnel timeout. */
        TIMEOUT,
        /** An I/O error on either side. */
        ERROR
    }

    /** Told about the tunnel's end, on its event loop. */
    public interface Listener {
        /**
         * The tunnel is about to close, or shut the output of, the upstream connection on its own
         * initiative (the client went first, the timeout, an error): Porter sends the upstream
         * connection's first FIN.
         */
        void closingUpstream(End why);

        /** Both connections are closed; called once. */
        void tunnelEnded(Tunnel tunnel);
    }

    private final long idleNanos;
    private final Listener listener;
    private final TunnelHandler client;
    private final TunnelHandler upstream;
    private Deadline idle;
    private long startedAt;
    private long endedAt;
    private End end;
    private int closedChannels;
    private boolean started;

    /** @param idleNanos the tunnel timeout: longest time without a byte in either direction */
    public Tunnel(long idleNanos, Listener listener) {
        this.idleNanos = idleNanos;
        this.listener = listener;
        this.client = new TunnelHandler(this, true);
        this.upstream = new TunnelHandler(this, false);
        client.peer = upstream;
        upstream.peer = client;
    }

    /** The handler for the client connection's pipeline. */
    public ChannelHandler clientHandler() {
        return client;
    }

    /** The handler for the upstream connection's pipeline. */
    public ChannelHandler upstreamHandler() {
        return upstream;
    }

    /**
     * Starts moving bytes, once both handlers are in their pipelines. {@code toClient} and
     * {@code toUpstream} are what each side sent after the handshake and before the tunnel took
     * over (the tunnel owns them; either may be null).
     */
    public void start(ByteBuf toClient, ByteBuf toUpstream) {
        if (client.ctx == null || upstream.ctx == null) {
            throw new IllegalStateException("both handlers must be in their pipelines");
        }
        started = true;
        idle = new Deadline(client.ctx.executor());
        startedAt = idle.now();
        Channel c = client.ctx.channel();
        Channel u = upstream.ctx.channel();
        // A FIN from the upstream must reach the tunnel as a half-close, not as a close (client
        // connections allow it already). Set now and not at connect: a pooled connection must
        // keep reading a FIN as the end of the connection.
        u.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        c.closeFuture().addListener(f -> channelClosed());
        u.closeFuture().addListener(f -> channelClosed());
        idle.arm(idleNanos, this::idleTimedOut);
        upstream.forward(toClient);
        client.forward(toUpstream);
        // Both, whatever was forwarded: the 101's head waits in the client's pipeline (TLS).
        client.ctx.flush();
        upstream.ctx.flush();
        if (!c.isActive() || !u.isActive()) {
            // A side went away while the handshake was relayed: nothing to tunnel.
            ended(c.isActive() ? End.UPSTREAM_CLOSED : End.CLIENT_CLOSED);
            closeBoth();
            return;
        }
        // Reading follows the other side's writability from here on.
        c.config().setAutoRead(u.isWritable());
        u.config().setAutoRead(c.isWritable());
    }

    /** Bytes the upstream sent the client through the tunnel (the 101's head not counted). */
    public long bytesToClient() {
        return upstream.bytesIn;
    }

    /** Bytes the client sent the upstream through the tunnel. */
    public long bytesToUpstream() {
        return client.bytesIn;
    }

    /** How long the tunnel was open, up to now while it still is. */
    public long durationNanos() {
        if (!started) {
            return 0;
        }
        return (endedAt != 0 ? endedAt : idle.now()) - startedAt;
    }

    /** What ended it first; null while both sides are open. */
    public End end() {
        return end;
    }

    /** Either side sent something: the idle deadline moves. */
    void activity() {
        if (idle != null) {
            idle.extend(idleNanos);
        }
    }

    /** Records the first thing that ended the tunnel; later ones do not change it. */
    void ended(End why) {
        if (end == null) {
            end = why;
            if (why != End.UPSTREAM_CLOSED) {
                listener.closingUpstream(why);
            }
        }
    }

    private void idleTimedOut() {
        ended(End.TIMEOUT);
        closeBoth();
    }

    void failed() {
        ended(End.ERROR);
        closeBoth();
    }

    void closeBoth() {
        client.closeAfterWrites();
        upstream.closeAfterWrites();
    }

    private void channelClosed() {
        if (++closedChannels == 2) {
            idle.cancel();
            endedAt = idle.now();
            listener.tunnelEnded(this);
        }
    }
}

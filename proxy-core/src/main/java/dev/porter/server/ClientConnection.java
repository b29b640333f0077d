package dev.porter.server;

import dev.porter.close.ClientClosePolicy;
import dev.porter.config.ListenerConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection's life on its worker, whatever it carries: counted by the {@link Worker}
 * from the moment the rest of the pipeline sees it start until it closes, timed by its
 * {@link ClientTimeouts} (which also watch what each flush leaves waiting, send-timeout), and
 * ended the way the listener's close-initiator says ({@link ClientClosePolicy}), which decides
 * where TIME_WAIT lands: at once when it is idle, after the response in flight otherwise
 * ({@link #closeAfterFlush}), when the client half-closes, when keepalive-timeout passes, and on
 * shutdown. A connection that became a WebSocket tunnel ({@link #becomeTunnel}) leaves all of that
 * to the tunnel, which has its own timeout, and stays through a shutdown until it ends.
 *
 * <p>What the connection carries is the subclass's, {@link ClientConnectionHandler}: its requests
 * and their exchanges. It tells this class whether a response is owed ({@link #inFlight}) and
 * whether the client sent bytes that were not read ({@link #inputUnread}), which makes the close
 * linger; it hears of the connection's end ({@link #connectionClosed}) and of the timeouts that
 * concern a request ({@link #requestTimedOut}). Last in the client pipeline; one object with its
 * subclass, so the split costs a connection nothing.
 *
 * <p>Confined to the connection's event loop, which is also its worker's.
 */
abstract class ClientConnection extends ChannelDuplexHandler implements ClientTimeouts.Owner {
    private static final Logger logger = LoggerFactory.getLogger(ClientConnection.class);

    final Worker worker;
    final ListenerConfig listener;
    final ClientTimeouts timeouts;
    ChannelHandlerContext ctx;
    /** The client sent FIN: finish the exchange in flight, then close. */
    private boolean inputClosed;
    /** This connection ends after the response in flight. */
    private boolean closing;
    /** The connection became a WebSocket tunnel: no more HTTP on it, the tunnel's handler reads it. */
    private boolean tunnel;

    ClientConnection(WorkerListener shared) {
        this.worker = shared.worker();
        this.listener = shared.listener();
        this.timeouts = new ClientTimeouts(shared.timeouts(), this);
    }

    /** Whether a response is owed to the client: an exchange is in flight. */
    abstract boolean inFlight();

    /** Between two requests, nothing of the next read: a keep-alive connection a shutdown may close at once. */
    abstract boolean idle();

    /** Whether the client sent bytes that were not read (a request body cut short, or skipped): the close lingers. */
    abstract boolean inputUnread();

    /** Reads from the client only when there is somewhere to put what is read. */
    abstract void updateReading();

    /** keepalive-timeout aside, {@link ClientTimeouts} says a timeout of the request passed; the connection is active. */
    abstract void requestTimedOut(ClientTimeout timeout);

    /** The connection closed: let go of the request in progress, if any. */
    abstract void connectionClosed();

    /** The client half-closed. */
    final boolean inputClosed() {
        return inputClosed;
    }

    /** The connection ends after the response in flight, or is ending. */
    final boolean closing() {
        return closing;
    }

    @Override
    public final void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public final void handlerRemoved(ChannelHandlerContext ctx) {
        timeouts.stop();
    }

    /** Only flushes pass through here (writes skip this handler): send-timeout watches what a flush leaves waiting. */
    @Override
    public final void flush(ChannelHandlerContext ctx) {
        ctx.flush();
        watchSend();
    }

    /** After a flush, this handler's own included: bytes the kernel would not take start send-timeout. */
    final void watchSend() {
        if (tunnel) {
            // A tunnel's sends are watched by its own tunnel-timeout.
            return;
        }
        timeouts.flushed(ctx.channel());
    }

    @Override
    public final void channelActive(ChannelHandlerContext ctx) {
        // Registered even when the worker is shutting down (a connection another worker accepted
        // just before its listener closed): its first request is on its way and is served, as
        // shutdown() serves one; keepalive is off, so the connection closes after it.
        worker.register(this);
        timeouts.awaitRequest();
    }

    /** Ends the connection once what was written is flushed, the way the listener's close-initiator says. */
    final void closeAfterFlush() {
        closing = true;
        timeouts.cancel();
        ctx.flush();
        ChannelOutboundBuffer unsent = ctx.channel().unsafe().outboundBuffer();
        if (unsent == null || unsent.totalPendingWriteBytes() == 0) {
            // The usual case, a response the socket took whole: close now. Waiting for the
            // flush would cost a pause of reading (an epoll_ctl), a promise and a listener on
            // every connection that ends after its response.
            closeByPolicy();
            return;
        }
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> closeByPolicy());
        watchSend();
    }

    /** Cuts the connection now: a response that cannot be completed must not look complete. */
    final void cut() {
        closing = true;
        ctx.close();
    }

    /** Ends the connection the way the listener's close-initiator says, which decides where TIME_WAIT lands. */
    private void closeByPolicy() {
        ClientClosePolicy.close(ctx.channel(), listener.closeInitiator(), listener.lingerTimeout().toNanos(),
                inputUnread(), inputClosed);
    }

    /**
     * The connection leaves HTTP for good: {@code tunnelHandler} goes in front of this handler and
     * reads it from now on. The listener's timeouts end: the tunnel has its own (tunnel-timeout),
     * and a client that stops reading a tunnel stops the upstream's reads, not the connection.
     */
    final void becomeTunnel(ChannelHandler tunnelHandler) {
        tunnel = true;
        worker.clientStats().response(101);
        worker.clientStats().tunnelOpened();
        timeouts.stop();
        ctx.pipeline().addBefore(ctx.name(), ClientChannelInitializer.TUNNEL, tunnelHandler);
    }

    /** The tunnel the connection became has ended (both connections are closed). */
    public final void tunnelEnded() {
        worker.clientStats().tunnelClosed();
    }

    @Override
    public final void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            if (!inFlight()) {
                ctx.close();
            } else {
                // The response is still owed; the connection closes after it. If the request
                // turns out to be incomplete, it is aborted.
                updateReading();
            }
        }
        ReferenceCountUtil.release(evt);
    }

    /** {@link ClientTimeouts} says which timeout passed. */
    @Override
    public final void timedOut(ClientTimeout timeout) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (timeout == ClientTimeout.KEEPALIVE) {
            logger.debug("{} keepalive timeout", ctx.channel());
            closing = true;
            closeByPolicy();
        } else {
            requestTimedOut(timeout);
        }
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        timeouts.stop();
        connectionClosed();
        worker.unregister(this);
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        logger.debug("{} client connection error: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /**
     * Shutdown: close now if idle, otherwise after the response in flight. A tunnel stays until
     * it ends or shutdown-timeout passes ({@link #forceClose}), as nginx keeps WebSockets until
     * worker_shutdown_timeout.
     */
    final void shutdown() {
        if (tunnel) {
            return;
        }
        if (inFlight()) {
            closing = true;
        } else if (idle()) {
            closeAfterFlush();
        }
        // Otherwise a request is on its way: the connection's first (a client that connected
        // before the listener closed has sent, or is sending, a request it will not resend: a
        // close now would reset it), or one partly read. It is served and the connection closed
        // after it, as keepalive ends with the shutdown. One that never completes is ended by
        // keepalive-timeout (nothing sent yet), client-header-timeout (a head cut short) or
        // shutdown-timeout, whichever comes first.
    }

    final void forceClose() {
        ctx.close();
    }
}

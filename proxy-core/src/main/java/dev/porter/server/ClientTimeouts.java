package dev.porter.server;

import dev.porter.timer.DeadlineQueue;
import io.netty.channel.Channel;

/**
 * The client connection's timeouts, whose meaning follows the exchange: waiting for a request
 * (keepalive-timeout), receiving its header block (client-header-timeout, counted from its first
 * byte and not extended by later bytes, so a slowloris cannot hold it), and receiving its body
 * (client-body-timeout between two reads). Each is a {@link DeadlineQueue} of the connection's
 * listener on its worker ({@link Queues}); the connection is an entry of at most one of them at a
 * time, so waiting costs it no task of its own. On expiry it tells its connection handler which
 * {@link ClientTimeout} passed. The fourth, send-timeout, watches the other direction: a
 * {@link ClientSendTimeout}, made only the first time a flush leaves bytes the client has not
 * taken, closes the connection itself.
 *
 * <p>Not a handler: {@link ClientConnectionHandler} owns it, tells it of every read before it
 * looks at the bytes, of every flush, and of each step of the exchange. Confined to the
 * connection's event loop.
 */
final class ClientTimeouts extends DeadlineQueue.Entry {

    /** Who is told of an expired timeout: the connection handler. */
    interface Owner {
        void timedOut(ClientTimeout timeout);
    }

    /** The three queues of one listener on one worker, shared by its connections, and the listener's send-timeout. */
    record Queues(DeadlineQueue keepalive, DeadlineQueue header, DeadlineQueue body, long sendTimeoutNanos) {
    }

    private final Queues queues;
    private final Owner owner;
    private ClientTimeout waitingFor;
    /** Made the first time a flush leaves bytes waiting for the client. */
    private ClientSendTimeout send;

    ClientTimeouts(Queues queues, Owner owner) {
        this.queues = queues;
        this.owner = owner;
    }

    /** Bytes came from the client: the first byte of a request starts its header timeout; a body's byte restarts the body timeout. */
    void read() {
        if (waitingFor == ClientTimeout.KEEPALIVE) {
            arm(ClientTimeout.HEADER, queues.header());
        } else if (waitingFor == ClientTimeout.BODY) {
            queues.body().arm(this);
        }
    }

    /** Between requests (and before the first one). */
    void awaitRequest() {
        arm(ClientTimeout.KEEPALIVE, queues.keepalive());
    }

    /** A request head was parsed; its body, if any, follows. */
    void requestHead(boolean bodyFollows) {
        if (bodyFollows) {
            arm(ClientTimeout.BODY, queues.body());
        } else {
            cancel();
        }
    }

    /** The request is complete, or the connection is ending: no timeout on what the client sends applies. */
    void cancel() {
        waitingFor = null;
        disarm();
    }

    /** A flush went down {@code ch}'s pipeline: bytes the kernel would not take start send-timeout. */
    void flushed(Channel ch) {
        send = ClientSendTimeout.afterFlush(send, ch, queues.sendTimeoutNanos());
    }

    /** The connection is gone, or left HTTP for a tunnel (which has its own timeout): no timeout applies. */
    void stop() {
        cancel();
        if (send != null) {
            send.cancel();
            send = null;
        }
    }

    private void arm(ClientTimeout timeout, DeadlineQueue queue) {
        waitingFor = timeout;
        queue.arm(this);
    }

    @Override
    protected void expired() {
        ClientTimeout expired = waitingFor;
        waitingFor = null;
        if (expired != null) {
            owner.timedOut(expired);
        }
    }
}

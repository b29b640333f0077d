package dev.porter.server;

import dev.porter.config.ListenerConfig;
import dev.porter.timer.Deadline;
import io.netty.util.concurrent.EventExecutor;

import java.util.function.Consumer;

/**
 * The client connection's timeouts, on its one {@link Deadline}, whose meaning follows the
 * exchange: waiting for a request (keepalive-timeout), receiving its header block
 * (client-header-timeout, counted from its first byte and not extended by later bytes, so a
 * slowloris cannot hold it), and receiving its body (client-body-timeout between two reads). On
 * expiry it tells its owner which {@link ClientTimeout} passed.
 *
 * <p>Not a handler: {@link ClientConnectionHandler} owns it, tells it of every read before it
 * looks at the bytes, and of each step of the exchange. Confined to the connection's event loop.
 */
final class ClientTimeouts {
    private enum Mode { NONE, AWAIT_REQUEST, HEADER, BODY }

    private final long keepaliveNanos;
    private final long headerNanos;
    private final long bodyNanos;
    private final Deadline deadline;
    private final Consumer<ClientTimeout> expiry;
    private Mode mode = Mode.NONE;
    private final Runnable onExpiry = this::expired;

    ClientTimeouts(ListenerConfig listener, EventExecutor executor, Consumer<ClientTimeout> expiry) {
        this.keepaliveNanos = listener.keepaliveTimeout().toNanos();
        this.headerNanos = listener.clientHeaderTimeout().toNanos();
        this.bodyNanos = listener.clientBodyTimeout().toNanos();
        this.deadline = new Deadline(executor);
        this.expiry = expiry;
    }

    /** Bytes came from the client: the first byte of a request starts its header timeout; a body's byte pushes the body timeout. */
    void read() {
        if (mode == Mode.AWAIT_REQUEST) {
            arm(Mode.HEADER, headerNanos, Long.MAX_VALUE);
        } else if (mode == Mode.BODY) {
            deadline.extend(bodyNanos);
        }
    }

    /** Between requests (and before the first one). */
    void awaitRequest() {
        // Checks no later than a header timeout from now, so that the header deadline armed by
        // the next request's first byte never needs a task of its own: one wakeup per idle period.
        arm(Mode.AWAIT_REQUEST, keepaliveNanos, headerNanos);
    }

    /** A request head was parsed; its body, if any, follows. */
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

    /** The connection is gone. */
    void cancel() {
        mode = Mode.NONE;
        deadline.cancel();
    }

    private void arm(Mode m, long nanos, long checkWithin) {
        mode = m;
        deadline.arm(nanos, checkWithin, onExpiry);
    }

    private void expired() {
        Mode expired = mode;
        mode = Mode.NONE;
        if (expired == Mode.NONE) {
            return;
        }
        expiry.accept(switch (expired) {
            case AWAIT_REQUEST -> ClientTimeout.KEEPALIVE;
            case HEADER -> ClientTimeout.HEADER;
            default -> ClientTimeout.BODY;
        });
    }
}

package dev.porter.server;

import dev.porter.config.ListenerConfig;
import dev.porter.exchange.ExchangeScope;
import dev.porter.timer.DeadlineQueue;

import java.util.ArrayDeque;

/**
 * What the client connections of one listener on one worker share, so that a connection itself
 * carries only its own state: the scope of their exchanges, the admission of their requests,
 * Porter's own responses, the queues of their timeouts ({@link ClientTimeouts}), and the
 * {@link RequestReader}s of connections between requests. A
 * connection takes a reader when a request's first byte arrives and gives it back when it is
 * idle again, so an idle keep-alive connection holds no parser, head or input buffer (nginx
 * frees a connection's request buffers the same way).
 *
 * <p>Made by {@link ClientChannelInitializer} for each worker, before any connection. Confined to
 * the worker's event loop: the admission's outcome is read right after each call, on that loop.
 */
final class WorkerListener {
    /** Readers kept for reuse: enough for the requests one worker has in flight; past it they are left to the GC. */
    static final int MAX_IDLE_READERS = 512;

    private final Worker worker;
    private final ListenerConfig listener;
    private final ExchangeScope scope;
    private final RequestAdmission admission;
    private final LocalResponses responses;
    private final ClientTimeouts.Queues timeouts;
    private final ArrayDeque<RequestReader> readers = new ArrayDeque<>();

    /** @param rateLimit the listener's rate-per-ip, or null when it sets none */
    WorkerListener(Worker worker, ListenerConfig listener, ClientRateLimit rateLimit) {
        this.worker = worker;
        this.listener = listener;
        this.scope = worker.exchangeScope(listener);
        this.admission = new RequestAdmission(worker, listener, rateLimit);
        this.responses = new LocalResponses(worker.clientStats());
        this.timeouts = new ClientTimeouts.Queues(new DeadlineQueue(worker.loop(), listener.keepaliveTimeout().toNanos()),
                new DeadlineQueue(worker.loop(), listener.clientHeaderTimeout().toNanos()),
                new DeadlineQueue(worker.loop(), listener.clientBodyTimeout().toNanos()), listener.sendTimeout().toNanos());
    }

    Worker worker() {
        return worker;
    }

    ListenerConfig listener() {
        return listener;
    }

    ExchangeScope scope() {
        return scope;
    }

    RequestAdmission admission() {
        return admission;
    }

    /** The keepalive, header and body timeouts of the connections, one queue each, and their send-timeout. */
    ClientTimeouts.Queues timeouts() {
        return timeouts;
    }

    LocalResponses responses() {
        return responses;
    }

    /** A reader for a request that starts arriving. */
    RequestReader takeReader() {
        RequestReader r = readers.poll();
        return r != null ? r : new RequestReader(listener.maxRequestLine(), listener.maxHeaderSize());
    }

    /** A reader with nothing in it (see {@link RequestReader#idle}), back from a connection between requests. */
    void giveBack(RequestReader reader) {
        if (readers.size() < MAX_IDLE_READERS) {
            readers.push(reader);
        }
    }
}

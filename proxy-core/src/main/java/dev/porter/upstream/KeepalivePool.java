package dev.porter.upstream;

import dev.porter.close.CloseReason;
import dev.porter.config.CloseInitiator;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.metrics.Errno;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.PoolStats;
import dev.porter.tls.TlsFailures;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The upstream connections of one worker (event loop) to one server, with nginx's keepalive
 * semantics: at most {@code keepalive} idle connections are cached, reused most recently
 * used first so that a burst's extra connections age out; {@code keepalive} does not limit
 * open connections, {@code max-connections} (optional) does, with a bounded wait queue.
 *
 * <p>Confined to its event loop: plain {@link ArrayDeque}s, no locks. Every method must be
 * called on {@link #loop}.
 */
public final class KeepalivePool {
    private static final Logger logger = LoggerFactory.getLogger(KeepalivePool.class);

    private final EventLoop loop;
    private final int worker;
    private final UpstreamConfig group;
    private final ServerConfig server;
    private final Bootstrap bootstrap;
    private final PoolStats stats = new PoolStats();
    /** Idle connections, most recently used first. */
    private final ArrayDeque<UpstreamHandler> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final PeakTracker peak = new PeakTracker();
    private int open;
    private boolean closed;

    KeepalivePool(EventLoop loop, int worker, UpstreamConfig group, ServerConfig server, Bootstrap bootstrap) {
        this.loop = loop;
        this.worker = worker;
        this.group = group;
        this.server = server;
        this.bootstrap = bootstrap;
    }

    public ServerConfig server() {
        return server;
    }

    UpstreamConfig group() {
        return group;
    }

    PoolStats stats() {
        return stats;
    }

    /** Connections handed out and not yet back: the requests in flight to this server from this worker. */
    public int active() {
        return open - idle.size();
    }

    /**
     * An idle connection (most recently used first) or a new one.
     *
     * @param fresh skip the idle cache: used to retry a request whose reused connection died
     */
    public Future<UpstreamHandler> acquire(boolean fresh) {
        assert loop.inEventLoop();
        Promise<UpstreamHandler> promise = loop.newPromise();
        if (closed) {
            return promise.setFailure(new IllegalStateException("pool closed"));
        }
        if (!fresh) {
            UpstreamHandler h;
            while ((h = idle.pollFirst()) != null) {
                if (h.takeFromPool()) {
                    peak.record(active());
                    return promise.setSuccess(h);
                }
                // Died or expired while idle; it is closing and leaves through onClosed.
            }
        }
        if (group.maxConnections() > 0 && open >= group.maxConnections()) {
            if (!idle.isEmpty()) {
                // A fresh connection is wanted but the cap is reached: make room.
                retire(idle.pollLast(), CloseReason.POOL_FULL);
            } else if (waiters.size() < group.queue() && !group.queueTimeout().isZero()) {
                waiters.add(new Waiter(promise, loop.schedule(() -> timeOut(promise),
                        group.queueTimeout().toNanos(), TimeUnit.NANOSECONDS)));
                return promise;
            } else {
                return promise.setFailure(new PoolExhaustedException(server.name(), group.maxConnections()));
            }
        }
        connect(promise);
        return promise;
    }

    private void connect(Promise<UpstreamHandler> promise) {
        open++;
        ChannelFuture f = bootstrap.connect(server.address());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                connectFailed(promise, Errno.classify(done.cause()), done.cause());
                return;
            }
            SslHandler tls = f.channel().pipeline().get(SslHandler.class);
            if (tls == null) {
                connected(promise, f);
                return;
            }
            // Handed out only once the handshake is done: a failed handshake is a failed connect
            // (next-upstream, 502), never a request lost on a connection that was not usable.
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    connected(promise, f);
                } else {
                    f.channel().close();
                    connectFailed(promise, TlsFailures.classify(handshake.cause()), handshake.cause());
                }
            });
        });
    }

    private void connected(Promise<UpstreamHandler> promise, ChannelFuture f) {
        stats.opened();
        UpstreamHandler h = f.channel().pipeline().get(UpstreamHandler.class);
        h.attach(this);
        peak.record(active());
        if (!promise.trySuccess(h)) {
            release(h, CloseReason.CLIENT_ABORT);
        }
    }

    private void connectFailed(Promise<UpstreamHandler> promise, String errno, Throwable cause) {
        open--;
        stats.connectError(errno);
        logger.debug("connect to {} failed ({}): {}", server.name(), errno, cause.getMessage());
        promise.tryFailure(new UpstreamConnectException(server.name(), errno, cause));
        serveWaiter();
    }

    /**
     * Takes back a connection whose exchange ended.
     *
     * @param closeReason null to keep it for reuse, otherwise why it must end
     */
    void release(UpstreamHandler h, CloseReason closeReason) {
        assert loop.inEventLoop();
        if (closeReason != null || closed) {
            retire(h, closeReason != null ? closeReason : CloseReason.SHUTDOWN);
            return;
        }
        if (!h.takeFromPool()) {
            // Closing already, or past keepalive-time: it leaves through onClosed (which also
            // serves a waiter), and must never sit in the idle deque.
            return;
        }
        Waiter waiter = waiters.pollFirst();
        if (waiter != null) {
            waiter.timeout.cancel(false);
            if (waiter.promise.trySuccess(h)) {
                return;
            }
        }
        idle.addFirst(h);
        h.idleInPool(group.keepaliveTimeout());
        if (idle.size() > group.keepalive()) {
            // nginx: keepalive caps the idle cache; the least recently used connection goes.
            retire(idle.pollLast(), CloseReason.POOL_FULL);
        }
    }

    private void retire(UpstreamHandler h, CloseReason reason) {
        h.retire(reason, group.closeInitiator());
    }

    /** Called by the connection once its channel is closed, whoever closed it. */
    void onClosed(UpstreamHandler h, CloseInitiator by, CloseReason reason) {
        open--;
        idle.remove(h);
        stats.closed(by, reason);
        serveWaiter();
    }

    /** An idle connection that timed out, was closed by the upstream, or sent stray bytes. */
    void evict(UpstreamHandler h) {
        idle.remove(h);
    }

    private void serveWaiter() {
        Waiter w = waiters.peekFirst();
        if (w != null && !closed && (group.maxConnections() == 0 || open < group.maxConnections())) {
            waiters.pollFirst();
            w.timeout.cancel(false);
            connect(w.promise);
        }
    }

    private void timeOut(Promise<UpstreamHandler> promise) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            if (it.next().promise == promise) {
                it.remove();
                break;
            }
        }
        promise.tryFailure(new PoolExhaustedException(server.name(), group.maxConnections()));
    }

    /** Closes idle connections and refuses new acquires; connections in use close when released. */
    public void close() {
        assert loop.inEventLoop();
        closed = true;
        UpstreamHandler h;
        while ((h = idle.pollFirst()) != null) {
            retire(h, CloseReason.SHUTDOWN);
        }
        Waiter w;
        while ((w = waiters.pollFirst()) != null) {
            w.timeout.cancel(false);
            w.promise.tryFailure(new IllegalStateException("shutting down"));
        }
    }

    public PoolSnapshot snapshot(String upstreamName) {
        assert loop.inEventLoop();
        return stats.snapshot(worker, upstreamName, server.name(), idle.size(), active(), peak.peak());
    }

    public void staleRetry() {
        stats.staleRetry();
    }

    private record Waiter(Promise<UpstreamHandler> promise, ScheduledFuture<?> timeout) {
    }
}

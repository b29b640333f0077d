package dev.porter.upstream;

import dev.porter.close.CloseReason;
import dev.porter.close.ClosedBy;
import dev.porter.close.ConnectionLifetime;
import dev.porter.config.CloseInitiator;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.metrics.Errno;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.PoolStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The upstream connections of one worker (event loop) to one server, with nginx's keepalive
 * semantics: at most {@code keepalive} idle connections are cached, reused most recently
 * used first so that a burst's extra connections age out; {@code keepalive} does not limit
 * open connections. Two optional caps do, each with a bounded wait queue:
 * {@code max-connections} per worker (this pool's own queue) and the server's
 * {@code max-conns} across workers ({@link ConnectionSlots}, whose queue spans the workers).
 * New connections are opened by its {@link UpstreamConnector}.
 *
 * <p>Confined to its event loop: plain {@link ArrayDeque}s, no locks. Every method must be
 * called on {@link #loop}.
 */
public final class KeepalivePool {
    private static final Logger logger = LoggerFactory.getLogger(KeepalivePool.class);

    private final EventLoop loop;
    private final int worker;
    private final UpstreamConfig config;
    private final ServerConfig server;
    private final UpstreamServer shared;
    private final ConnectionSlots slots;
    private final UpstreamConnector connector;
    private final PoolStats stats = new PoolStats();
    /** Idle connections, most recently used first. */
    private final ArrayDeque<UpstreamHandler> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final PeakTracker peak;
    private final ConnectionLifetime lifetime;
    private int open;
    /** Open connections that became WebSocket tunnels: never idle again, not in flight either. */
    private int tunnels;
    /**
     * Open connections on their way out ({@link UpstreamHandler#retire}, an abort): never idle
     * again, not in flight either. A close completes a loop turn or more later (an upstream's FIN
     * awaited, or the transport's own close), and counting these as in flight made the peak, and
     * with it {@code keepalive = auto}'s target and the sizing advice, read above the requests.
     */
    private int closing;
    private boolean closed;

    KeepalivePool(EventLoop loop, int worker, UpstreamConfig group, UpstreamServer shared, Bootstrap bootstrap) {
        this.loop = loop;
        this.worker = worker;
        this.config = group;
        this.server = shared.config();
        this.shared = shared;
        this.slots = shared.slots();
        this.connector = new UpstreamConnector(this, bootstrap, shared);
        this.peak = new PeakTracker(config.keepaliveWindow().toNanos(), loop.ticker().nanoTime());
        this.lifetime = new ConnectionLifetime(config.keepaliveRequests(), config.keepaliveTime().toNanos());
        slots.register(this);
    }

    public ServerConfig server() {
        return server;
    }

    /** The server's state shared by all workers: health and connection slots. */
    UpstreamServer shared() {
        return shared;
    }

    EventLoop loop() {
        return loop;
    }

    /** The server's max-conns is reached and this worker has no idle connection to it: a request would wait. */
    boolean saturated() {
        return idle.isEmpty() && slots.full();
    }

    /** The group's settings this pool works by. */
    UpstreamConfig config() {
        return config;
    }

    /** keepalive-requests and keepalive-time as configured: each connection draws its own limits from them. */
    ConnectionLifetime lifetime() {
        return lifetime;
    }

    PoolStats stats() {
        return stats;
    }

    /**
     * Connections handed out (or being opened for a request) and not yet back: the requests in
     * flight to this server from this worker.
     */
    public int active() {
        return open - idle.size() - tunnels - closing;
    }

    /** A connection out of the idle deque and not in flight any more started to close: see {@link #closing}. */
    void closing() {
        closing++;
    }

    /**
     * A connection of this pool became a WebSocket tunnel: it never comes back, but stays open
     * (and counted against max-connections and max-conns) until it closes ({@link #onClosed}).
     */
    void tunnelOpened() {
        tunnels++;
        stats.tunnelOpened();
    }

    /**
     * An idle connection (most recently used first), or null when there is none: the usual case
     * of {@link #acquire}, without a future.
     */
    public UpstreamHandler pollIdle() {
        assert loop.inEventLoop();
        if (closed) {
            return null;
        }
        UpstreamHandler h;
        while ((h = idle.pollFirst()) != null) {
            if (h.takeFromPool()) {
                peak.record(active(), loop.ticker().nanoTime());
                return h;
            }
            // Died or expired while idle; it is closing and leaves through onClosed.
        }
        return null;
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
        UpstreamHandler reused = fresh ? null : pollIdle();
        if (reused != null) {
            return promise.setSuccess(reused);
        }
        if (config.maxConnections() > 0 && open >= config.maxConnections()) {
            if (!idle.isEmpty()) {
                // A fresh connection is wanted but the cap is reached: make room.
                retire(idle.pollLast(), CloseReason.POOL_FULL);
            } else if (waiters.size() < config.queue() && !config.queueTimeout().isZero()) {
                waiters.add(new Waiter(promise, loop.schedule(() -> timeOut(promise),
                        config.queueTimeout().toNanos(), TimeUnit.NANOSECONDS)));
                return promise;
            } else {
                return promise.setFailure(PoolExhaustedException.maxConnections(server.name(), config.maxConnections()));
            }
        }
        newConnection(promise);
        return promise;
    }

    /** A new connection under the server's max-conns: now if a slot is free, else after a wait in its queue. */
    private void newConnection(Promise<UpstreamHandler> promise) {
        if (slots.tryAcquire()) {
            connect(promise);
            return;
        }
        if (!idle.isEmpty()) {
            // A fresh connection is wanted (stale retry) while this worker holds an idle one: trade it in.
            retire(idle.pollLast(), CloseReason.MAX_CONNS);
        }
        SlotWaiter waiter = new SlotWaiter(this, slots, promise);
        if (config.queueTimeout().isZero() || !slots.enqueue(waiter, config.queue())) {
            promise.tryFailure(PoolExhaustedException.maxConns(server.name(), slots.limit()));
            return;
        }
        loop.schedule(() -> {
            if (waiter.timeOut()) {
                promise.tryFailure(PoolExhaustedException.maxConns(server.name(), slots.limit()));
            }
        }, config.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A slot freed up for a waiter of this pool; called on this pool's loop. */
    void connectWithSlot(Promise<UpstreamHandler> promise) {
        if (closed) {
            slots.release();
            promise.tryFailure(new IllegalStateException("pool closed"));
            return;
        }
        connect(promise);
    }

    /** Opens a connection; the caller holds a slot for it, which its close gives back. */
    private void connect(Promise<UpstreamHandler> promise) {
        open++;
        connector.connect(promise);
    }

    /** Another worker waits for a slot of this server: an idle connection here is one it could use. */
    void shedIdleForWaiters() {
        loop.execute(() -> {
            if (slots.hasWaiters() && !idle.isEmpty()) {
                retire(idle.pollLast(), CloseReason.MAX_CONNS);
            }
        });
    }

    /** {@link UpstreamConnector}: a connection opened for {@code promise} is ready (its slot is taken). */
    void connected(Promise<UpstreamHandler> promise, Channel ch) {
        stats.opened();
        UpstreamHandler h = ch.pipeline().get(UpstreamHandler.class);
        h.attach(this);
        peak.record(active(), loop.ticker().nanoTime());
        if (!promise.trySuccess(h)) {
            release(h, CloseReason.CLIENT_ABORT);
        }
    }

    /** {@link UpstreamConnector}: no connection for {@code promise}; its slot goes back. */
    /**
     * A connect from {@code source} found it out of ports (EADDRNOTAVAIL) and moves on to the next
     * source address: counted, so that {@code /status} shows the address ran dry, and nothing else.
     */
    void sourceAddressFull(InetAddress source, Throwable cause) {
        stats.connectError(Errno.EADDRNOTAVAIL);
        logger.debug("connect to {} from {} failed (EADDRNOTAVAIL), trying the next source address: {}",
                server.name(), source.getHostAddress(), cause.getMessage());
    }

    void connectFailed(Promise<UpstreamHandler> promise, String errno, Throwable cause) {
        open--;
        slots.release();
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
        if (slots.hasWaiters()) {
            // Requests wait for a slot of this server: the oldest gets this connection if it is
            // this worker's, otherwise the connection closes and its slot goes to that waiter.
            SlotWaiter oldest = slots.takeOldestIf(this);
            if (oldest != null && oldest.promise().trySuccess(h)) {
                return;
            }
            if (oldest == null && slots.hasWaiters()) {
                retire(h, CloseReason.MAX_CONNS);
                return;
            }
        }
        idle.addFirst(h);
        h.idleInPool(config.keepaliveTimeout());
        if (idle.size() > keepaliveTarget(loop.ticker().nanoTime())) {
            stats.surplus();
            if (upstreamClosesFirst()) {
                // One connection too many, but Porter must not send the first FIN: the one just
                // released is handed out next (most recently used first), and its request says
                // Connection: close, so the upstream ends it right after its response.
                h.retireAfterNextRequest();
            } else {
                // nginx: keepalive caps the idle cache; the least recently used connection goes.
                retire(idle.pollLast(), CloseReason.POOL_FULL);
            }
        }
    }

    /**
     * Idle connections the pool keeps now: {@code keepalive}, or with {@code keepalive = auto} the
     * peak of requests in flight over {@code keepalive-window}; never more than a cap allows.
     */
    int keepaliveTarget(long now) {
        int target = config.keepalive().auto() ? Math.max(1, peak.peak(now)) : config.keepalive().fixed();
        if (config.maxConnections() > 0) {
            target = Math.min(target, config.maxConnections());
        }
        int maxConns = slots.limit();
        return maxConns > 0 ? Math.min(target, maxConns) : target;
    }

    /**
     * Whether connections to this server must be ended by the upstream rather than by Porter:
     * {@code close-initiator = upstream}, or the port budget guard is engaged.
     */
    boolean upstreamClosesFirst() {
        return config.closeInitiator() == CloseInitiator.PEER || shared.portGuard().engaged();
    }

    /** How connections leave when Porter retires them: the group's close-initiator, unless the guard overrides it. */
    CloseInitiator closeInitiator() {
        CloseInitiator configured = config.closeInitiator();
        return configured == CloseInitiator.PROXY && shared.portGuard().engaged() ? CloseInitiator.PEER : configured;
    }

    private void retire(UpstreamHandler h, CloseReason reason) {
        h.retire(reason, closeInitiator());
    }

    /**
     * Called by the connection once its channel is closed, whoever closed it.
     *
     * @param wasClosing the connection had reported {@link #closing()}
     */
    void onClosed(UpstreamHandler h, ClosedBy by, CloseReason reason, boolean tunnel, boolean wasClosing) {
        open--;
        if (tunnel) {
            tunnels--;
        }
        if (wasClosing) {
            closing--;
        }
        idle.remove(h);
        stats.closed(by, reason);
        slots.release();
        serveWaiter();
    }

    /** Porter is about to send a connection's first FIN: one more port in TIME_WAIT for the guard to count. */
    void closingFirst() {
        shared.portGuard().closingFirst();
    }

    /** An idle connection that timed out, was closed by the upstream, or sent stray bytes. */
    void evict(UpstreamHandler h) {
        idle.remove(h);
    }

    private void serveWaiter() {
        Waiter w = waiters.peekFirst();
        if (w != null && !closed && (config.maxConnections() == 0 || open < config.maxConnections())) {
            waiters.pollFirst();
            w.timeout.cancel(false);
            newConnection(w.promise);
        }
    }

    private void timeOut(Promise<UpstreamHandler> promise) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            if (it.next().promise == promise) {
                it.remove();
                break;
            }
        }
        promise.tryFailure(PoolExhaustedException.maxConnections(server.name(), config.maxConnections()));
    }

    /** Closes idle connections and refuses new acquires; connections in use close when released. */
    public void close() {
        assert loop.inEventLoop();
        closed = true;
        slots.unregister(this);
        slots.cancelWaitersOf(this);
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
        long now = loop.ticker().nanoTime();
        return stats.snapshot(worker, upstreamName, server.name(), idle.size(), active(), closing, tunnels, peak.peak(now),
                keepaliveTarget(now));
    }

    public void staleRetry() {
        stats.staleRetry();
    }

    private record Waiter(Promise<UpstreamHandler> promise, ScheduledFuture<?> timeout) {
    }
}

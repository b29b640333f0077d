package dev.porter.server;

import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import dev.porter.exchange.ExchangeScope;
import dev.porter.exchange.FailureLog;
import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.ClientStats;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.upstream.KeepalivePool;
import dev.porter.upstream.UpstreamGroup;
import dev.porter.upstream.UpstreamGroups;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one event loop owns, as one nginx worker process would: its client
 * connections, its routes and upstream groups (with their pools), and its counters.
 * Confined to {@link #loop()}: other threads reach it only through tasks submitted there.
 */
public final class Worker {
    private final EventLoop loop;
    private final int index;
    private final ClientStats clientStats = new ClientStats();
    private final FailureLog failureLog = new FailureLog();
    private final Set<ClientConnection> connections = new HashSet<>();
    private Router router;
    private UpstreamGroups upstreams;
    private boolean shuttingDown;

    public Worker(EventLoop loop, int index, ProxyConfig config, UpstreamGroups upstreams) {
        this.loop = loop;
        this.index = index;
        this.router = new Router(config.routes());
        this.upstreams = upstreams;
    }

    public EventLoop loop() {
        return loop;
    }

    public int index() {
        return index;
    }

    Router router() {
        return router;
    }

    UpstreamGroups upstreams() {
        return upstreams;
    }

    /** What the exchanges of a connection on {@code listener} share with this worker. */
    ExchangeScope exchangeScope(ListenerConfig listener) {
        return new ExchangeScope(listener, listener.tls() != null, failureLog, this::shuttingDown);
    }

    ClientStats clientStats() {
        return clientStats;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    void register(ClientConnection h) {
        connections.add(h);
        clientStats.connectionOpened();
    }

    void unregister(ClientConnection h) {
        if (connections.remove(h)) {
            clientStats.connectionClosed();
        }
    }

    /**
     * Applies a new configuration to new requests; exchanges in flight keep the groups they
     * started with, and the old pools close their connections as those come back.
     */
    public void swap(ProxyConfig config, UpstreamGroups newUpstreams) {
        assert loop.inEventLoop();
        UpstreamGroups old = upstreams;
        router = new Router(config.routes());
        upstreams = newUpstreams;
        closePools(old);
    }

    /** Stops taking new requests: idle client connections close now, busy ones after their response. */
    public void beginShutdown() {
        assert loop.inEventLoop();
        shuttingDown = true;
        for (ClientConnection h : new ArrayList<>(connections)) {
            h.shutdown();
        }
    }

    /** Client connections still open on this worker. */
    public int openConnections() {
        assert loop.inEventLoop();
        return connections.size();
    }

    /** Closes every connection still open (after the shutdown timeout) and every pool. */
    public void closeAll() {
        assert loop.inEventLoop();
        for (ClientConnection h : new ArrayList<>(connections)) {
            h.forceClose();
        }
        closePools(upstreams);
    }

    private static void closePools(UpstreamGroups groups) {
        for (UpstreamGroup g : groups.all().values()) {
            for (KeepalivePool p : g.pools()) {
                p.close();
            }
        }
    }

    public ClientSnapshot clientSnapshot() {
        assert loop.inEventLoop();
        return clientStats.snapshot(index);
    }

    public List<PoolSnapshot> poolSnapshots() {
        assert loop.inEventLoop();
        List<PoolSnapshot> out = new ArrayList<>();
        for (Map.Entry<String, UpstreamGroup> e : upstreams.all().entrySet()) {
            for (KeepalivePool p : e.getValue().pools()) {
                out.add(p.snapshot(e.getKey()));
            }
        }
        return out;
    }
}

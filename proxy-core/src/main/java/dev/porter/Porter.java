package dev.porter;

import dev.porter.close.CloseInitiatorWarnings;
import dev.porter.config.ListenerConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.metrics.PoolSizingAdvisor;
import dev.porter.metrics.SizingAdvice;
import dev.porter.tcp.LocalPortRange;
import dev.porter.tcp.ProcNetTcp;
import dev.porter.tcp.TcpCensus;
import dev.porter.config.ProxyConfig;
import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.StatusSnapshot;
import dev.porter.server.ClientChannelInitializer;
import dev.porter.server.Worker;
import dev.porter.upstream.UpstreamGroups;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * A running Porter: its event loops ("workers"), listeners and upstream pools. Built once by
 * {@link #start(ProxyConfig)}; the process's {@code main} owns it and passes it down.
 */
public final class Porter implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(Porter.class);
    private static final long ADVICE_PERIOD_SECONDS = 10;

    private final EventLoopGroup group;
    private final Transport transport;
    private final List<Worker> workers;
    private final List<Channel> listeners;
    private final List<InetSocketAddress> listenAddresses;
    private final PoolSizingAdvisor advisor = new PoolSizingAdvisor();
    private volatile ProxyConfig config;
    private volatile boolean stopped;

    private Porter(EventLoopGroup group, Transport transport, List<Worker> workers, List<Channel> listeners, ProxyConfig config) {
        this.group = group;
        this.transport = transport;
        this.workers = workers;
        this.listeners = listeners;
        this.config = config;
        List<InetSocketAddress> bound = new ArrayList<>();
        for (Channel ch : listeners) {
            bound.add((InetSocketAddress) ch.localAddress());
        }
        this.listenAddresses = List.copyOf(bound);
    }

    /**
     * Binds every listener and starts the event loops. Blocks until bound; call it from
     * {@code main}, never from an event loop.
     *
     * @throws UncheckedIOException when an address cannot be bound (with the address)
     */
    public static Porter start(ProxyConfig config) {
        Transport transport = Transport.best();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.workers(),
                new DefaultThreadFactory("porter-worker"), transport.ioHandlerFactory());
        List<Worker> workers = new ArrayList<>();
        Map<EventLoop, Worker> byLoop = new IdentityHashMap<>();
        int index = 0;
        for (EventExecutor e : group) {
            EventLoop loop = (EventLoop) e;
            Worker w = new Worker(loop, index, config, UpstreamGroups.create(loop, index, config, transport));
            workers.add(w);
            byLoop.put(loop, w);
            index++;
        }
        Map<EventLoop, Worker> lookup = Collections.unmodifiableMap(byLoop);
        List<Channel> bound = new ArrayList<>();
        try {
            for (ListenerConfig listener : config.listeners()) {
                ChannelFuture f = new ServerBootstrap()
                        .group(group)
                        .channel(transport.serverChannel())
                        .option(ChannelOption.SO_BACKLOG, 4096)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        // Half-closure is seen as an event, so a client that sends its request and
                        // then FIN still gets its response; the connection is closed right after.
                        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, config.writeBuffer())
                        .childHandler(new ClientChannelInitializer(lookup, listener))
                        .bind(listener.address())
                        .awaitUninterruptibly();
                if (!f.isSuccess()) {
                    throw new UncheckedIOException(new IOException("cannot listen on " + listener.address() + ": "
                            + f.cause().getMessage(), f.cause()));
                }
                bound.add(f.channel());
            }
        } catch (RuntimeException e) {
            for (Channel ch : bound) {
                ch.close().awaitUninterruptibly();
            }
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
            throw e;
        }
        Porter porter = new Porter(group, transport, List.copyOf(workers), List.copyOf(bound), config);
        CloseInitiatorWarnings.log(config);
        // Pool sizing advice from the traffic itself; computed off the event loops.
        group.scheduleAtFixedRate(() -> porter.status().thenAcceptAsync(
                        s -> porter.advisor.observe(s, porter.config), ForkJoinPool.commonPool()),
                ADVICE_PERIOD_SECONDS, ADVICE_PERIOD_SECONDS, TimeUnit.SECONDS);
        logger.debug("porter listening on {} with {} workers ({} transport)", porter.listenAddresses, workers.size(), transport.name());
        return porter;
    }

    /** The addresses actually bound, in listener order (port 0 in config becomes a real port). */
    public List<InetSocketAddress> listenAddresses() {
        return listenAddresses;
    }

    /** The configuration now in force. */
    public ProxyConfig config() {
        return config;
    }

    /**
     * Every worker's counters, gathered by a task on each worker's own loop (so the hot path
     * needs no atomics); completes when all have answered.
     */
    public CompletableFuture<StatusSnapshot> status() {
        List<CompletableFuture<WorkerView>> views = new ArrayList<>();
        for (Worker w : workers) {
            CompletableFuture<WorkerView> cf = new CompletableFuture<>();
            try {
                w.loop().execute(() -> cf.complete(new WorkerView(w.clientSnapshot(), w.poolSnapshots())));
            } catch (RuntimeException rejected) {
                cf.completeExceptionally(rejected);
            }
            views.add(cf);
        }
        return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<ClientSnapshot> clients = new ArrayList<>();
            List<PoolSnapshot> pools = new ArrayList<>();
            for (CompletableFuture<WorkerView> v : views) {
                clients.add(v.join().client());
                pools.addAll(v.join().pools());
            }
            return new StatusSnapshot(Instant.now(), workers.size(), clients, pools);
        });
    }

    /** Pool sizing advice from the last 10-second window, per upstream server. */
    public List<SizingAdvice> sizingAdvice() {
        return advisor.latest();
    }

    /**
     * The kernel's view of Porter's sockets: TCP states on the client leg (local port = a
     * listener) and, per upstream server, on the proxy side (remote = that server) with the
     * local ports held against the ephemeral port budget. Reads /proc: blocking file I/O,
     * call it off the event loops. Sockets are matched by address, so another process on
     * this host talking to the same upstream is counted too.
     */
    public TcpCensus tcpCensus() throws IOException {
        List<InetSocketAddress> upstreams = new ArrayList<>();
        for (UpstreamConfig u : config.upstreams().values()) {
            for (ServerConfig s : u.servers()) {
                if (!upstreams.contains(s.address())) {
                    upstreams.add(s.address());
                }
            }
        }
        return TcpCensus.of(ProcNetTcp.read(), listenAddresses, upstreams, LocalPortRange.read());
    }

    private record WorkerView(ClientSnapshot client, List<PoolSnapshot> pools) {
    }

    /**
     * Applies a new configuration to new requests, on every worker; in-flight requests finish
     * on the upstreams they started with. Listener changes need a restart. Build the new
     * configuration off the event loops first ({@link dev.porter.config.ConfigLoader}).
     */
    public CompletableFuture<Void> reload(ProxyConfig next) {
        if (!next.listeners().equals(config.listeners()) || next.workers() != config.workers()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "listeners and workers cannot change on reload; restart Porter to change them"));
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Worker w : workers) {
            UpstreamGroups groups = UpstreamGroups.create(w.loop(), w.index(), next, transport);
            CompletableFuture<Void> cf = new CompletableFuture<>();
            w.loop().execute(() -> {
                w.swap(next, groups);
                cf.complete(null);
            });
            done.add(cf);
        }
        config = next;
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /**
     * Stops accepting, lets in-flight requests finish for up to {@code timeout}, closes idle
     * connections, drains the pools and stops the event loops. Blocks until done.
     */
    public synchronized void shutdownGracefully(Duration timeout) {
        if (stopped) {
            return;
        }
        stopped = true;
        for (Channel ch : listeners) {
            ch.close().awaitUninterruptibly();
        }
        for (Worker w : workers) {
            w.loop().execute(w::beginShutdown);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && openConnections() > 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = openConnections();
        if (left > 0) {
            // The operator must know that requests were cut, and how many connections carried them.
            logger.warn("shutdown-timeout {} expired with {} client connection(s) still open: closing them,"
                    + " cutting the requests in flight on them", timeout.toMillis() % 1000 == 0
                    ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms", left);
        }
        for (Worker w : workers) {
            w.loop().execute(w::closeAll);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        logger.info("porter stopped");
    }

    private int openConnections() {
        int open = 0;
        for (Worker w : workers) {
            try {
                open += w.loop().submit(w::openConnections).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                return 0;
            }
        }
        return open;
    }

    /** Immediate stop: {@code shutdownGracefully(Duration.ZERO)}. */
    @Override
    public void close() {
        shutdownGracefully(Duration.ZERO);
    }
}

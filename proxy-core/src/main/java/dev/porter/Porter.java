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
import dev.porter.config.TransportChoice;
import dev.porter.metrics.StatusSnapshot;
import dev.porter.server.ReusePortCheck;
import dev.porter.server.Worker;
import dev.porter.tls.ListenerTls;
import dev.porter.tls.ServerTls;
import dev.porter.pki.TlsProvider;
import dev.porter.tls.UpstreamTls;
import dev.porter.transport.Transport;
import dev.porter.upstream.UpstreamGroups;
import dev.porter.upstream.UpstreamServer;
import dev.porter.upstream.UpstreamServers;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * A running Porter: its event loops ("workers"), listeners and upstream pools. Built once by
 * {@link #start(ProxyConfig)}; the process's {@code main} owns it and passes it down. Binding
 * is {@link Listeners}', gathering the workers' counters {@link WorkerStatus}'.
 */
public final class Porter implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(Porter.class);

    private final EventLoopGroup group;
    private final Transport transport;
    private final List<Worker> workers;
    private final List<Channel> listeners;
    private final List<InetSocketAddress> listenAddresses;
    private final PoolSizingAdvisor advisor = new PoolSizingAdvisor();
    /** Per listener, in order; null for a plain one. */
    private final List<ListenerTls> listenerTls;
    private volatile Map<String, UpstreamTls> upstreamTls;
    private volatile ProxyConfig config;
    /** Size of the kernel's ephemeral port range, read at start: the port budget per source address. */
    private final int portRange;
    /** The servers' state shared by all workers, for the configuration in force. */
    private volatile UpstreamServers servers;
    private volatile boolean stopped;

    private Porter(EventLoopGroup group, Transport transport, List<Worker> workers, List<Channel> listeners,
                   ProxyConfig config, UpstreamServers servers, int portRange,
                   List<ListenerTls> listenerTls, Map<String, UpstreamTls> upstreamTls) {
        this.portRange = portRange;
        this.group = group;
        this.transport = transport;
        this.workers = workers;
        this.listeners = listeners;
        this.config = config;
        this.servers = servers;
        this.listenerTls = listenerTls;
        this.upstreamTls = upstreamTls;
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
        // TLS first: a certificate or setting the TLS implementation refuses stops the start
        // before anything is bound. The implementation is asked for only when something speaks
        // TLS: without TLS, neither OpenSSL's library nor the JDK's TLS is loaded.
        List<ListenerTls> listenerTls = new ArrayList<>();
        Map<String, UpstreamTls> upstreamTls;
        try {
            for (ListenerConfig listener : config.listeners()) {
                listenerTls.add(listener.tls() != null ? ListenerTls.start(listener.tls(), TlsProvider.best()) : null);
            }
            upstreamTls = UpstreamTls.forGroups(config, TlsProvider::best, Map.of());
        } catch (SSLException e) {
            throw new UncheckedIOException(e);
        }
        WorkerLoops loops = WorkerLoops.start(config.transport(), transport(config.transport()),
                t -> new MultiThreadIoEventLoopGroup(config.workers(), new DefaultThreadFactory("porter-worker"),
                        t.ioHandlerFactory()));
        Transport transport = loops.transport();
        EventLoopGroup group = loops.group();
        List<Worker> workers = new ArrayList<>();
        Map<EventLoop, Worker> byLoop = new IdentityHashMap<>();
        int portRange = portRange();
        UpstreamServers servers = UpstreamServers.create(config, portRange);
        int index = 0;
        for (EventExecutor e : group) {
            EventLoop loop = (EventLoop) e;
            Worker w = new Worker(loop, index, config,
                    UpstreamGroups.create(loop, index, config, servers, transport, upstreamTls));
            workers.add(w);
            byLoop.put(loop, w);
            index++;
        }
        Map<EventLoop, Worker> lookup = Collections.unmodifiableMap(byLoop);
        List<Channel> bound = Listeners.bind(config, group, transport, lookup, listenerTls);
        Porter porter = new Porter(group, transport, List.copyOf(workers), List.copyOf(bound), config, servers, portRange,
                Collections.unmodifiableList(listenerTls), upstreamTls);
        CloseInitiatorWarnings.log(config);
        ReusePortCheck.log(config);
        // Pool sizing advice from the traffic itself; computed off the event loops.
        group.scheduleAtFixedRate(() -> porter.status().thenAcceptAsync(
                        s -> porter.advisor.observe(s, porter.config), ForkJoinPool.commonPool()),
                PoolSizingAdvisor.WINDOW.toMillis(), PoolSizingAdvisor.WINDOW.toMillis(), TimeUnit.MILLISECONDS);
        // The port budget guard forgets closes older than TIME_WAIT, and disengages, once a second.
        group.scheduleAtFixedRate(() -> {
            for (UpstreamServer s : porter.servers.all()) {
                s.portGuard().tick();
            }
        }, 1, 1, TimeUnit.SECONDS);
        logger.debug("porter listening on {} with {} workers ({} transport)", porter.listenAddresses, workers.size(), transport.name());
        return porter;
    }

    /**
     * The transport {@code porter.transport} names.
     *
     * @throws IllegalStateException for a named transport that does not load here, with the reason
     */
    public static Transport transport(TransportChoice choice) {
        return switch (choice) {
            case AUTO -> Transport.best();
            case IO_URING -> Transport.ioUring();
            case EPOLL -> Transport.epoll();
            case NIO -> Transport.nio();
        };
    }

    /**
     * The size of the ephemeral port range; Linux's default when it cannot be read (not Linux):
     * the guard then protects a budget the kernel may not have, which errs on the safe side.
     */
    private static int portRange() {
        try {
            return LocalPortRange.read().size();
        } catch (IOException | RuntimeException e) {
            logger.debug("cannot read the local port range ({}); assuming 32768-60999", e.toString());
            return 60999 - 32768 + 1;
        }
    }

    /** The addresses actually bound, in listener order (port 0 in config becomes a real port). */
    public List<InetSocketAddress> listenAddresses() {
        return listenAddresses;
    }

    /** The socket transport the workers run on: io_uring, epoll or nio. */
    public String transportName() {
        return transport.name();
    }

    /**
     * The TLS implementation in use, for the start-up line ("OpenSSL (BoringSSL)", "JDK ..."),
     * or null when no listener and no upstream group speaks TLS.
     */
    public String tlsProvider() {
        boolean used = listenerTls.stream().anyMatch(Objects::nonNull) || !upstreamTls.isEmpty();
        return used ? TlsProvider.describe(TlsProvider.best()) : null;
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
        return WorkerStatus.gather(workers, servers);
    }

    /** Pool sizing advice from the last {@link PoolSizingAdvisor#WINDOW}, per upstream server. */
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

    /**
     * Applies a new configuration to new requests, on every worker; in-flight requests finish
     * on the upstreams they started with. Listener changes need a restart, except their TLS
     * certificates and settings: new handshakes use the new ones, open connections keep theirs.
     * Either all of it applies or none: a certificate the TLS implementation refuses fails the
     * reload and the old one keeps serving. Build the new configuration off the event loops
     * first ({@link dev.porter.config.ConfigLoader}); call this off them too (TLS contexts are
     * built here).
     */
    public CompletableFuture<Void> reload(ProxyConfig next) {
        String refused = Listeners.changeRefused(config, next);
        if (refused != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(refused));
        }
        List<ServerTls> nextListenerTls = new ArrayList<>();
        Map<String, UpstreamTls> nextUpstreamTls;
        try {
            for (int i = 0; i < next.listeners().size(); i++) {
                ListenerTls current = listenerTls.get(i);
                ListenerConfig listener = next.listeners().get(i);
                boolean same = current == null || current.config().equals(listener.tls());
                nextListenerTls.add(same ? null : ServerTls.build(listener.tls(), TlsProvider.best()));
            }
            // A group that turns TLS on here loads the TLS implementation now, off the event loops.
            nextUpstreamTls = UpstreamTls.forGroups(next, TlsProvider::best, upstreamTls);
        } catch (SSLException e) {
            return CompletableFuture.failedFuture(e);
        }
        for (int i = 0; i < nextListenerTls.size(); i++) {
            if (nextListenerTls.get(i) != null) {
                listenerTls.get(i).swap(nextListenerTls.get(i), next.listeners().get(i).tls());
                InetSocketAddress at = listenAddresses.get(i);
                logger.info("listener {}:{}: TLS certificates and settings reloaded", at.getHostString(), at.getPort());
            }
        }
        upstreamTls = nextUpstreamTls;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        UpstreamServers nextServers = UpstreamServers.carryOver(servers, next, portRange);
        servers = nextServers;
        for (Worker w : workers) {
            UpstreamGroups groups = UpstreamGroups.create(w.loop(), w.index(), next, nextServers, transport, nextUpstreamTls);
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

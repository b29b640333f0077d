package dev.porter.close;

import dev.porter.Porter;
import dev.porter.config.ConfigLoader;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.ServerSnapshot;
import dev.porter.metrics.StatusSnapshot;
import dev.porter.tcp.ProcNetTcp;
import dev.porter.tcp.TcpSocket;
import dev.porter.tcp.TcpState;
import dev.porter.testing.NetnsChild;
import dev.porter.testing.RawHttp;
import dev.porter.testing.StaticOrigin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The port-exhaustion incident's set-up, run by {@link PortBudgetIT} inside a network namespace
 * of its own: 1,000 ephemeral ports and {@code tcp_tw_reuse = 0}, so that a proxy that closes
 * its upstream connections first runs out of ports in seconds. Porter (one worker, in this JVM)
 * in front of a keep-alive origin that never closes first, and clients on keep-alive
 * connections. Prints one {@code RESULT key=value ...} line.
 *
 * <p>Arguments: parent namespace, clients, seconds, then {@code loop} (a closed loop of requests
 * for that long) or {@code together} (one request per client, which the origin answers only once
 * it holds a connection for every client at the same time), then HOCON lines for the upstream
 * group.
 */
public final class PortBudgetScenario {
    static final String PORT_RANGE = "40000 40999";
    private static final int ORIGIN_PORT = 18080;
    private static final int LISTEN_PORT = 18000;

    private PortBudgetScenario() {
    }

    public static void main(String[] args) {
        NetnsChild.runAndExit(PortBudgetScenario::run, args);
    }

    private static void run(String[] args) throws Exception {
        NetnsChild.prepareInside(args[0]);
        NetnsChild.sysctl("net/ipv4/ip_local_port_range", PORT_RANGE);
        NetnsChild.sysctl("net/ipv4/tcp_tw_reuse", "0");
        int clients = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        boolean together = args[3].equals("together");
        String upstreamExtra = String.join("\n", List.of(args).subList(4, args.length));

        try (StaticOrigin origin = new StaticOrigin(new InetSocketAddress("127.0.0.1", ORIGIN_PORT))) {
            String conf = """
                    porter {
                      workers = 1
                      listeners = [ { address = "0.0.0.0:%d", max-body-size = 0 } ]
                      upstreams { app {
                        servers = [ { address = "127.0.0.1:%d" } ]
                        %s
                      } }
                      routes = [ { path-prefix = "/", upstream = app } ]
                      admin.enabled = false
                    }
                    """.formatted(LISTEN_PORT, ORIGIN_PORT, upstreamExtra);
            try (Porter porter = Porter.start(ConfigLoader.parse(conf, "scenario.conf"))) {
                Sampler sampler = new Sampler(porter);
                sampler.start();
                Load load = new Load(clients, together);
                load.run(TimeUnit.SECONDS.toNanos(seconds));
                sampler.finish();
                StatusSnapshot s = porter.status().get(10, TimeUnit.SECONDS);
                long eaddrnotavail = 0;
                long opened = 0;
                long upstreamRequests = 0;
                for (PoolSnapshot p : s.pools()) {
                    eaddrnotavail += p.connectErrors().getOrDefault("EADDRNOTAVAIL", 0L);
                    opened += p.opened();
                    upstreamRequests += p.requests();
                }
                System.out.println("RESULT requests=" + load.requests.get() + " ok=" + load.ok.get()
                        + " status502=" + load.status502.get() + " otherStatus=" + load.otherStatus.get()
                        + " ioErrors=" + load.ioErrors.get() + " eaddrnotavail=" + eaddrnotavail
                        + " opened=" + opened + " upstreamRequests=" + upstreamRequests
                        + " guardEngagedSeen=" + sampler.guardSeen.get()
                        + " proxyTimeWaitMax=" + sampler.proxyTimeWait.get()
                        + " upstreamTimeWaitMax=" + sampler.upstreamTimeWait.get()
                        + " originPeakOpen=" + origin.peakOpen());
            }
        }
    }

    /** The kernel's TIME_WAIT on each side of the upstream leg, and the guard, every 200 ms. */
    private static final class Sampler extends Thread {
        private final Porter porter;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger proxyTimeWait = new AtomicInteger();
        final AtomicInteger upstreamTimeWait = new AtomicInteger();
        final AtomicBoolean guardSeen = new AtomicBoolean();

        Sampler(Porter porter) {
            this.porter = porter;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running.get()) {
                try {
                    int proxy = 0;
                    int upstream = 0;
                    for (TcpSocket s : ProcNetTcp.read()) {
                        if (s.state() == TcpState.TIME_WAIT && s.remote().getPort() == ORIGIN_PORT) {
                            proxy++;
                        } else if (s.state() == TcpState.TIME_WAIT && s.local().getPort() == ORIGIN_PORT) {
                            upstream++;
                        }
                    }
                    proxyTimeWait.accumulateAndGet(proxy, Math::max);
                    upstreamTimeWait.accumulateAndGet(upstream, Math::max);
                    for (ServerSnapshot s : porter.status().get(5, TimeUnit.SECONDS).servers()) {
                        if (s.guardEngaged()) {
                            guardSeen.set(true);
                        }
                    }
                    Thread.sleep(200);
                } catch (Exception e) {
                    return;
                }
            }
        }

        void finish() throws InterruptedException {
            running.set(false);
            join();
        }
    }

    /**
     * Clients on keep-alive connections, each to one of three local addresses of the listener (a
     * destination address of its own gives each a port range of its own, so the clients never run
     * out of ports themselves).
     */
    private static final class Load {
        private final int clients;
        private final boolean together;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong status502 = new AtomicLong();
        final AtomicLong otherStatus = new AtomicLong();
        final AtomicLong ioErrors = new AtomicLong();

        Load(int clients, boolean together) {
            this.clients = clients;
            this.together = together;
        }

        void run(long nanos) throws InterruptedException {
            long until = System.nanoTime() + nanos;
            List<Thread> threads = new ArrayList<>();
            CountDownLatch connected = new CountDownLatch(clients);
            for (int i = 0; i < clients; i++) {
                InetSocketAddress target = new InetSocketAddress("127.0.0." + (1 + i % 3), LISTEN_PORT);
                Thread t = new Thread(() -> client(target, until, connected), "client-" + i);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        /** Connects, waits until every client has, then sends: the requests all start together. */
        private void client(InetSocketAddress target, long until, CountDownLatch connected) {
            String request = together ? "GET /held?hold=" + clients + " HTTP/1.1\r\nHost: o\r\n\r\n"
                    : "GET /x HTTP/1.1\r\nHost: o\r\n\r\n";
            RawHttp c = null;
            try {
                try {
                    c = new RawHttp(target, (InetAddress) null);
                    c.socket().setSoTimeout(60_000);
                } catch (IOException e) {
                    ioErrors.incrementAndGet();
                }
                connected.countDown();
                try {
                    connected.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                do {
                    try {
                        if (c == null) {
                            c = new RawHttp(target, (InetAddress) null);
                            c.socket().setSoTimeout(60_000);
                        }
                        RawHttp.Response r = c.send(request).read();
                        requests.incrementAndGet();
                        if (r.status == 200) {
                            ok.incrementAndGet();
                        } else if (r.status == 502) {
                            status502.incrementAndGet();
                        } else {
                            otherStatus.incrementAndGet();
                        }
                        if ("close".equalsIgnoreCase(r.header("Connection"))) {
                            c.close();
                            c = null;
                        }
                    } catch (IOException e) {
                        ioErrors.incrementAndGet();
                        closeQuietly(c);
                        c = null;
                    }
                } while (!together && System.nanoTime() < until);
            } finally {
                closeQuietly(c);
            }
        }

        private static void closeQuietly(RawHttp c) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // going away anyway
                }
            }
        }
    }
}

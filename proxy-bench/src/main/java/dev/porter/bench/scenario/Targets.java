package dev.porter.bench.scenario;

import dev.porter.bench.proxy.BenchCertificate;
import dev.porter.bench.proxy.HaproxyProcess;
import dev.porter.bench.proxy.HaproxySettings;
import dev.porter.bench.proxy.JvmOriginProcess;
import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.NginxProcess;
import dev.porter.bench.proxy.NginxSettings;
import dev.porter.bench.proxy.PorterConfigWriter;
import dev.porter.bench.proxy.PorterSettings;
import dev.porter.bench.proxy.ProcessMemory;
import dev.porter.bench.proxy.RunningProxy;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts what the throughput and idle-connections scenarios measure: one origin and the proxies
 * in front of it (Porter, and each requested peer that is installed), all as child processes
 * on the servers' CPUs, registered with the run's {@link Cleanup}. The peers are configured to
 * do Porter's work: same workers/threads, same idle upstream connections per worker, the same
 * forwarded headers, and with a certificate the same TLS listener. A peer that is not installed or does not start is skipped with a line
 * saying so.
 */
public final class Targets {
    /** The control peer: see {@link #KNOWN_PEERS}. */
    public static final String TWIN = "twin";
    /**
     * The peers the bench knows, in report order. {@code twin} is a second nginx configured as
     * the first: the two differ only by the host's noise, so nginx ÷ twin says how far from 1.0
     * noise alone moves a ratio in this run ({@link Throughput#ratios}).
     */
    public static final List<String> KNOWN_PEERS = List.of("nginx", "haproxy", TWIN);

    private final Launch launch;
    private final Cleanup cleanup;
    private final PrintStream log;
    private final Map<String, String> setup = new LinkedHashMap<>();
    private RunningProxy origin;

    public Targets(Launch launch, Cleanup cleanup, PrintStream log) {
        this.launch = launch;
        this.cleanup = cleanup;
        this.log = log;
    }

    /** What was started and how, for the report's {@code setup}. */
    public Map<String, String> setup() {
        return setup;
    }

    public RunningProxy origin() {
        return origin;
    }

    /**
     * Starts the origin: {@code static} is nginx {@code return 200} (6-byte body) when nginx is
     * installed, else the bench's Netty origin in a child JVM; {@code tomcat} is the embedded
     * Tomcat in a child JVM.
     */
    public RunningProxy startOrigin(String kind, int tomcatThreads) throws Exception {
        InetSocketAddress listen = new InetSocketAddress("127.0.0.1", Ports.free());
        Optional<Path> nginx = NginxProcess.locate();
        switch (kind) {
            case "static" -> {
                if (nginx.isPresent()) {
                    origin = cleanup.register(NginxProcess.startOrigin(nginx.get(), listen,
                            Files.createTempDirectory("porter-bench-origin"), launch));
                    setup.put("origin", "static: nginx, 1 worker, return 200 \"hello\\n\" (6-byte body), "
                            + "keep-alive without request limit");
                } else {
                    origin = cleanup.register(JvmOriginProcess.start("static", listen, 0, launch));
                    setup.put("origin", "static: porter-bench's Netty origin in a child JVM (nginx not installed), "
                            + "200 with 6-byte body, keep-alive without request limit");
                }
            }
            case "tomcat" -> {
                origin = cleanup.register(JvmOriginProcess.start("tomcat", listen, tomcatThreads, launch));
                setup.put("origin", "tomcat: embedded Tomcat in a child JVM, 100-byte body, maxThreads " + tomcatThreads
                        + ", no keep-alive request limit");
            }
            default -> throw new IllegalArgumentException("--origin is static or tomcat, was " + kind);
        }
        log.printf("origin: %s on %s%n", origin, PorterConfigWriter.hostPort(origin.address()));
        return origin;
    }

    /**
     * Starts Porter and the requested peers in front of the origin; returns them by name in
     * report order (porter, then peers as {@link #KNOWN_PEERS} orders them). Those that could not
     * start are in {@code skipped} with the reason, already said on the log.
     *
     * @param keepalive idle upstream connections per worker, for every proxy
     * @param tls       the certificate every proxy's listener serves, or null for plain HTTP
     */
    public Map<String, RunningProxy> startProxies(ProxyLauncher porter, List<String> peers, int workers,
            int keepalive, String haproxyReuse, BenchCertificate tls, Map<String, String> skipped) {
        Map<String, RunningProxy> proxies = new LinkedHashMap<>();
        InetSocketAddress upstream = origin.address();
        try {
            int admin = porter.adminPort();
            PorterSettings settings = new PorterSettings(workers,
                    new InetSocketAddress("127.0.0.1", porter.listenPort()), upstream,
                    admin < 0 ? null : new InetSocketAddress("127.0.0.1", admin), keepalive, 1000, "1.1", "proxy");
            proxies.put("porter", porter.launch(tls == null ? settings : settings.withTls(tls)));
        } catch (Exception e) {
            skipped.put("porter", "Porter did not start: " + e.getMessage());
        }
        String transport = proxies.containsKey("porter") ? proxies.get("porter").transport() : "";
        setup.put("porter", "workers " + workers + (transport.isEmpty() ? "" : ", transport " + transport)
                + ", upstream keepalive " + keepalive + " per worker, "
                + "keepalive-requests 1000, keepalive-timeout 15s, X-Forwarded-For/-Proto/-Host and X-Real-IP built in");
        for (String peer : KNOWN_PEERS) {
            if (!peers.contains(peer)) {
                continue;
            }
            try {
                RunningProxy p = startPeer(peer, workers, keepalive, haproxyReuse, upstream, tls);
                if (p != null) {
                    proxies.put(peer, cleanup.register(p));
                } else {
                    skipped.put(peer, peer + " not installed (not on PATH, /usr/sbin or /usr/bin)");
                }
            } catch (Exception e) {
                skipped.put(peer, peer + " did not start: " + e.getMessage());
            }
        }
        for (String peer : peers) {
            if (!KNOWN_PEERS.contains(peer)) {
                skipped.put(peer, "unknown peer (known: " + String.join(", ", KNOWN_PEERS) + ")");
            }
        }
        proxies.forEach((n, p) -> log.printf("%s: %s listening on %s%n", n, p, PorterConfigWriter.hostPort(p.address())));
        skipped.forEach((n, why) -> log.printf("%s: skipped: %s%n", n, why));
        return proxies;
    }

    private RunningProxy startPeer(String peer, int workers, int keepalive, String reuse, InetSocketAddress upstream,
            BenchCertificate tls) throws Exception {
        InetSocketAddress listen = new InetSocketAddress("127.0.0.1", Ports.free());
        if (peer.equals("nginx") || peer.equals(TWIN)) {
            Optional<Path> nginx = NginxProcess.locate();
            if (nginx.isEmpty()) {
                return null;
            }
            setup.put(peer, peer.equals(TWIN) ? "a second nginx configured as nginx (the control: nginx ÷ twin is"
                    + " what the host's noise alone makes of a ratio in this run)" : "worker_processes " + workers
                    + ", upstream keepalive " + keepalive + " (per worker), keepalive_requests 1000, keepalive_timeout"
                    + " 15s, proxy_http_version 1.1, Connection \"\", Host $http_host, X-Forwarded-For/-Proto/-Host"
                    + " and X-Real-IP set");
            return NginxProcess.start(nginx.get(), peer, new NginxSettings(workers, listen, upstream, keepalive,
                    Files.createTempDirectory("porter-bench-" + peer), tls), launch);
        }
        Optional<Path> haproxy = HaproxyProcess.locate();
        if (haproxy.isEmpty()) {
            return null;
        }
        setup.put("haproxy", "nbthread " + workers + ", http-reuse " + reuse + ", pool-max-conn " + keepalive * workers
                + " (keepalive x threads), pool-purge-delay 15s, max-reuse 1000, option forwardfor, "
                + "X-Real-IP/X-Forwarded-Proto/X-Forwarded-Host set");
        return HaproxyProcess.start(haproxy.get(), new HaproxySettings(workers, listen, upstream, keepalive, reuse,
                Files.createTempDirectory("porter-bench-haproxy"), tls), launch);
    }

    /** Current RSS of a process tree in MiB, or null. */
    public static Double rssMiB(RunningProxy p) {
        if (p.pid().isEmpty()) {
            return null;
        }
        var kib = ProcessMemory.rssKiB(p.pid().getAsLong());
        return kib.isPresent() ? kib.getAsLong() / 1024.0 : null;
    }

    /** Peak RSS of a process tree in MiB, or null. */
    public static Double peakRssMiB(RunningProxy p) {
        if (p.pid().isEmpty()) {
            return null;
        }
        var kib = ProcessMemory.peakRssKiB(p.pid().getAsLong());
        return kib.isPresent() ? kib.getAsLong() / 1024.0 : null;
    }
}

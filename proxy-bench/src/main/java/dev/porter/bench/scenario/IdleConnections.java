package dev.porter.bench.scenario;

import dev.porter.bench.load.ClientConnection;
import dev.porter.bench.load.IdleClients;
import dev.porter.bench.load.LoadDriver;
import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.ProcessMemory;
import dev.porter.bench.proxy.RunningProxy;
import dev.porter.bench.report.IdleResult;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The idle-connections scenario: how much memory each proxy spends per keep-alive client
 * connection that sits idle (goal: at most 2 KB at 10,000). Porter and each installed peer run
 * in front of the static origin; for one proxy at a time: a short warm-up (so that what is
 * allocated once is allocated), a settle pause, Rss and Pss from smaps_rollup, then
 * {@code count} clients that each send one request and stay connected, another settle pause
 * and another reading. The clients are closed before the next proxy is measured.
 */
public final class IdleConnections {
    public static final String NAME = "idle-connections";

    private final int count;
    private final int workers;
    private final List<String> peers;
    private final String haproxyReuse;
    private final ProxyLauncher porter;
    private final Launch launch;
    private final Cleanup cleanup;
    private final PrintStream log;
    private final Duration settle;
    private final Map<String, String> setup = new LinkedHashMap<>();

    public IdleConnections(int count, int workers, List<String> peers, String haproxyReuse, ProxyLauncher porter,
            Launch launch, Cleanup cleanup, PrintStream log, Duration settle) {
        this.count = count;
        this.workers = workers;
        this.peers = List.copyOf(peers);
        this.haproxyReuse = haproxyReuse;
        this.porter = porter;
        this.launch = launch;
        this.cleanup = cleanup;
        this.log = log;
        this.settle = settle;
    }

    public Map<String, String> setup() {
        return setup;
    }

    public List<IdleResult> run() throws Exception {
        Targets targets = new Targets(launch, cleanup, log);
        RunningProxy origin = targets.startOrigin("static", 200);
        Map<String, String> skipped = new LinkedHashMap<>();
        Map<String, RunningProxy> proxies = targets.startProxies(porter, peers, workers, 64, haproxyReuse, null, skipped);
        setup.putAll(targets.setup());
        setup.put("pinning", launch.describe());
        setup.put("clients", count + " keep-alive connections from one Netty event loop, one GET each, then idle; "
                + "settle " + settle.toSeconds() + " s before each reading");
        pause(settle);
        Map<String, Long> rssStart = new LinkedHashMap<>();
        proxies.forEach((n, p) -> rssStart.put(n, rss(p)));
        List<IdleResult> results = new ArrayList<>();
        for (Map.Entry<String, RunningProxy> e : proxies.entrySet()) {
            results.add(measure(e.getKey(), e.getValue(), rssStart.get(e.getKey())));
        }
        proxies.values().forEach(cleanup::closeNow);
        cleanup.closeNow(origin);
        skipped.forEach((n, why) -> results.add(IdleResult.skipped(n, why)));
        return results;
    }

    private IdleResult measure(String name, RunningProxy proxy, Long rssStart) throws Exception {
        OptionalLong pid = proxy.pid();
        if (pid.isEmpty()) {
            return IdleResult.skipped(name, "no process to read memory from");
        }
        LoadDriver.bench(ClientConnection.KEEPALIVE).run(proxy.address(), 50, Duration.ofSeconds(3));
        pause(settle);
        Optional<ProcessMemory.Rollup> before = ProcessMemory.rollup(pid.getAsLong());
        IdleClients.Outcome outcome;
        Optional<ProcessMemory.Rollup> after;
        int stillOpen;
        try (IdleClients clients = new IdleClients(proxy.address(), count, 200)) {
            outcome = clients.open(Duration.ofSeconds(120));
            pause(settle);
            after = ProcessMemory.rollup(pid.getAsLong());
            stillOpen = clients.open();
        }
        log.printf("%s: %d connections held (%d answered, %d still open after settling), failures %s%n", name,
                outcome.held(), outcome.answered(), stillOpen, outcome.failures());
        if (before.isEmpty() || after.isEmpty()) {
            return IdleResult.skipped(name, "smaps_rollup unreadable");
        }
        ProcessMemory.Rollup growth = after.get().minus(before.get());
        int held = Math.max(1, stillOpen);
        String note = stillOpen < count ? "only " + stillOpen + " of " + count + " connections open at the reading" : null;
        IdleResult r = new IdleResult(name, stillOpen, rssStart, before.get().rssKiB(), before.get().pssKiB(),
                after.get().rssKiB(), after.get().pssKiB(), (double) growth.rssKiB() / held,
                (double) growth.pssKiB() / held, outcome.failures(), note);
        log.printf("%s: RSS %d -> %d KiB, PSS %d -> %d KiB: %.2f KiB RSS, %.2f KiB PSS per connection%n", name,
                r.rssBeforeKiB(), r.rssAfterKiB(), r.pssBeforeKiB(), r.pssAfterKiB(), r.rssPerConnectionKiB(),
                r.pssPerConnectionKiB());
        // let the proxy see the clients go before the next one is measured
        pause(settle);
        return r;
    }

    private static Long rss(RunningProxy p) {
        if (p.pid().isEmpty()) {
            return null;
        }
        OptionalLong kib = ProcessMemory.rssKiB(p.pid().getAsLong());
        return kib.isPresent() ? kib.getAsLong() : null;
    }

    /** A fixed pause between readings, so that lazily freed or allocated memory shows. */
    static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}

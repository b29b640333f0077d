package dev.porter.bench;

import dev.porter.bench.backend.BenchBackend;
import dev.porter.bench.backend.StaticOrigin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code porter-bench origin} (hidden): an origin in a process of its own, so that the scenarios
 * can pin it to the servers' CPUs apart from the load generator and read its CPU time. Started
 * and stopped (SIGTERM) by the scenario that needs it; prints nothing but errors.
 */
@Command(name = "origin", hidden = true, description = "An origin as a child process of the bench (internal).")
final class OriginCommand implements Callable<Integer> {
    @Option(names = "--kind", required = true, description = "static (Netty, 6-byte body) or tomcat")
    String kind;

    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", required = true)
    int port;

    @Option(names = "--max-threads", defaultValue = "200", description = "Tomcat's request threads")
    int maxThreads;

    @Override
    public Integer call() throws Exception {
        AutoCloseable origin;
        if (kind.equals("static")) {
            StaticOrigin o = new StaticOrigin(host, port);
            o.start();
            origin = o;
        } else if (kind.equals("tomcat")) {
            BenchBackend b = new BenchBackend(host, port);
            // the origin must not be what is measured: no per-connection request limit, and never
            // the first to close an idle connection (the proxies' idle timeout is 15 s)
            b.setMaxKeepAliveRequests(-1);
            b.setKeepAliveTimeout(Duration.ofSeconds(60));
            b.setMaxThreads(maxThreads);
            b.start();
            origin = b;
        } else {
            System.err.println("porter-bench origin: --kind is static or tomcat, was " + kind);
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                origin.close();
            } catch (Exception e) {
                System.err.println("porter-bench origin: close failed: " + e);
            }
            stopped.countDown();
        }, "origin-stop"));
        stopped.await();
        return 0;
    }
}

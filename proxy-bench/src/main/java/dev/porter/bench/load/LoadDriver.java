package dev.porter.bench.load;

import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.PorterConfigWriter;
import dev.porter.bench.proxy.ProcessCpu;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A load generator the throughput scenario drives each target with: wrk (keep-alive), ab
 * without {@code -k} (a new connection per request), or the bench's own Netty
 * {@link LoadGenerator} (either way; it runs in this JVM, which {@link Launch} pins to the load
 * CPUs). Each run also measures what the generator itself spent in CPU.
 */
public interface LoadDriver {
    /** One line for the report: which generator, how. */
    String describe();

    /** Loads {@code target} with {@code concurrency} connections for {@code duration}. */
    LoadSample run(InetSocketAddress target, int concurrency, Duration duration) throws Exception;

    /**
     * wrk with {@code threads} threads, run as a load process of {@code launch}; with {@code tls},
     * over https (OpenSSL, no certificate check: a handshake per connection, then keep-alive).
     */
    static LoadDriver wrk(Path wrk, Launch launch, int threads, boolean tls) {
        return new LoadDriver() {
            @Override
            public String describe() {
                return "wrk -t" + threads + (tls ? " https" : "") + " (keep-alive)";
            }

            @Override
            public LoadSample run(InetSocketAddress target, int concurrency, Duration duration) throws Exception {
                Optional<ProcessCpu.Times> before = ProcessCpu.reapedChildren();
                Wrk.Result r = Wrk.run(wrk, launch, url(target, tls), Math.min(threads, concurrency), concurrency, duration);
                return new LoadSample(r.requests(), r.seconds(), r.errors(), r.errorText(), r.p50Millis(),
                        r.p90Millis(), r.p99Millis(), r.p999Millis(), delta(before, ProcessCpu.reapedChildren()));
            }
        };
    }

    /**
     * ab without keep-alive, run as a load process of {@code launch}; with {@code tls}, over https
     * (OpenSSL, no certificate check, no session resumption: a full handshake per request).
     */
    static LoadDriver ab(Path ab, Launch launch, boolean tls) {
        return new LoadDriver() {
            @Override
            public String describe() {
                return "ab without -k (HTTP/1.0, a new connection per request, the server closes"
                        + (tls ? "; https, a full TLS handshake per request" : "") + ")";
            }

            @Override
            public LoadSample run(InetSocketAddress target, int concurrency, Duration duration) throws Exception {
                Optional<ProcessCpu.Times> before = ProcessCpu.reapedChildren();
                Ab.Result r = Ab.run(ab, launch, url(target, tls), concurrency, duration);
                return new LoadSample(r.requests(), r.seconds(), r.errors(), r.errors() > 0 ? r.errors() + " failed" : null,
                        r.p50Millis(), r.p90Millis(), r.p99Millis(), null, delta(before, ProcessCpu.reapedChildren()));
            }
        };
    }

    /**
     * The bench's own generator in this JVM: keep-alive, or with {@code Connection: close} on every
     * request (a new connection per request, the server closes first, as with ab).
     */
    static LoadDriver bench(ClientConnection connection) {
        return new LoadDriver() {
            @Override
            public String describe() {
                return "porter-bench's Netty generator in the bench JVM ("
                        + (connection == ClientConnection.KEEPALIVE ? "keep-alive" : "a new connection per request, "
                        + "Connection: close") + ")";
            }

            @Override
            public LoadSample run(InetSocketAddress target, int concurrency, Duration duration) throws Exception {
                Optional<ProcessCpu.Times> before = ProcessCpu.self();
                LoadResult r = new LoadGenerator(LoadSpec.closedLoop(target, concurrency, duration)
                        .withConnection(connection)).run();
                Optional<ProcessCpu.Times> after = ProcessCpu.self();
                long errors = r.requests() - r.status2xx() - r.status3xx()
                        + r.connectErrors().values().stream().mapToLong(Long::longValue).sum()
                        + r.ioErrors().values().stream().mapToLong(Long::longValue).sum();
                String text = errors == 0 ? null : "connect " + r.connectErrors() + ", io " + r.ioErrors()
                        + ", non-2xx " + (r.requests() - r.status2xx() - r.status3xx());
                return new LoadSample(r.requests(), r.elapsedNanos() / 1e9, errors, text, r.latencyMillis(50),
                        r.latencyMillis(90), r.latencyMillis(99), r.latencyMillis(99.9), delta(before, after));
            }
        };
    }

    /** The URL the external generators load; https speaks TLS to the same port. */
    static String url(InetSocketAddress target, boolean tls) {
        return (tls ? "https://" : "http://") + PorterConfigWriter.hostPort(target) + "/";
    }

    private static ProcessCpu.Times delta(Optional<ProcessCpu.Times> before, Optional<ProcessCpu.Times> after) {
        return before.isPresent() && after.isPresent() ? after.get().minus(before.get()) : null;
    }
}

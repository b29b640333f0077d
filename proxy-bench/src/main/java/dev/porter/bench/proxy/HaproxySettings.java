package dev.porter.bench.proxy;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * HAProxy configured like Porter for the throughput comparison.
 *
 * @param threads            {@code nbthread}: Porter's workers
 * @param keepalivePerThread idle upstream connections per thread (Porter's per-worker
 *                           {@code keepalive}); HAProxy's {@code pool-max-conn} is per server,
 *                           so it gets this times the threads
 * @param reuse              {@code http-reuse}: {@code always} reuses an idle connection for the first
 *                           request of a client connection too, as Porter and nginx do; {@code safe}
 *                           is HAProxy's default
 * @param dir                temp dir for the config
 * @param tls                the certificate the frontend serves, or null for plain HTTP
 */
public record HaproxySettings(int threads, InetSocketAddress listen, InetSocketAddress upstream,
        int keepalivePerThread, String reuse, Path dir, BenchCertificate tls) {
    /** Settings with a plain HTTP frontend. */
    public HaproxySettings(int threads, InetSocketAddress listen, InetSocketAddress upstream, int keepalivePerThread,
            String reuse, Path dir) {
        this(threads, listen, upstream, keepalivePerThread, reuse, dir, null);
    }

    public HaproxySettings {
        if (!reuse.equals("always") && !reuse.equals("safe") && !reuse.equals("aggressive") && !reuse.equals("never")) {
            throw new IllegalArgumentException("http-reuse is never, safe, aggressive or always, was " + reuse);
        }
    }
}

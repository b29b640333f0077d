package dev.porter.bench.proxy;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * nginx configured like Porter for the throughput comparison.
 *
 * @param dir       temp dir for pid file, error log and temp paths
 * @param keepalive {@code keepalive N} in the upstream block (per worker, as Porter's)
 * @param tls       the certificate the listener serves, or null for plain HTTP
 */
public record NginxSettings(int workers, InetSocketAddress listen, InetSocketAddress upstream, int keepalive, Path dir,
        BenchCertificate tls) {
    /** Settings with a plain HTTP listener. */
    public NginxSettings(int workers, InetSocketAddress listen, InetSocketAddress upstream, int keepalive, Path dir) {
        this(workers, listen, upstream, keepalive, dir, null);
    }
}

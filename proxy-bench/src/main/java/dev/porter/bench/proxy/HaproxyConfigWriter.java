package dev.porter.bench.proxy;

/**
 * Writes a haproxy.cfg doing the work Porter does: {@code nbthread} = Porter's workers; the same
 * upstream pool ({@code pool-max-conn} = keepalive x threads, idle connections purged after
 * {@code 15s} as Porter's {@code keepalive-timeout}, at most 1000 requests per connection as
 * Porter's {@code keepalive-requests}) with the chosen {@code http-reuse}; the four forwarded
 * headers Porter adds ({@code option forwardfor} for {@code X-Forwarded-For}, then
 * {@code X-Real-IP}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}); client keep-alive
 * 75 s as Porter's listener default; no log. With a certificate the frontend speaks TLS as
 * Porter's listener does. Runs in the foreground ({@code -db}) as a child of
 * the bench.
 */
public final class HaproxyConfigWriter {
    // Enough for the 10,000 idle clients. HAProxy sizes its descriptor needs at about two per
    // connection and by default refuses to start when it cannot raise its limit that far;
    // "no strict-limits" lets it run within the limit the bench gives it (idle clients need one
    // descriptor each).
    private static final int MAXCONN = 10_500;

    private HaproxyConfigWriter() {
    }

    public static String write(HaproxySettings s) {
        return """
                # written by porter-bench: HAProxy doing the work Porter does
                global
                    nbthread %d
                    maxconn %d
                    no strict-limits
                defaults
                    mode http
                    option http-keep-alive
                    timeout connect 10s
                    timeout client 75s
                    timeout server 60s
                    timeout http-request 60s
                    timeout http-keep-alive 75s
                frontend porter_bench
                    bind %s
                    option forwardfor
                    http-request set-header X-Real-IP %%[src]
                    http-request set-header X-Forwarded-Proto %s
                    http-request set-header X-Forwarded-Host %%[req.hdr(host)] if { req.hdr(host) -m found }
                    default_backend app
                backend app
                    http-reuse %s
                    server app %s pool-max-conn %d pool-purge-delay 15s max-reuse 1000
                """.formatted(s.threads(), MAXCONN, PorterConfigWriter.hostPort(s.listen()) + tls(s.tls()),
                s.tls() == null ? "http" : "https", s.reuse(), PorterConfigWriter.hostPort(s.upstream()),
                s.keepalivePerThread() * s.threads());
    }

    /**
     * The bind line's TLS options: each of the bench's certificates with its key in one file (for
     * one name HAProxy serves ECDSA to a client that accepts it, else RSA), Porter's
     * protocols and suites ({@link TlsParameters}), the client's order of suites as Porter and
     * nginx follow it (HAProxy prefers its own by default, which picks another TLS 1.3 suite than
     * theirs), ALPN http/1.1 as Porter answers; HAProxy's session cache is on by default. Empty
     * for a plain frontend.
     */
    private static String tls(BenchCertificate c) {
        if (c == null) {
            return "";
        }
        StringBuilder crt = new StringBuilder(" ssl");
        for (BenchCertificate.KeyFiles f : c.files()) {
            crt.append(" crt ").append(f.combined().toAbsolutePath());
        }
        return crt + " ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3"
                + " ciphers " + TlsParameters.TLS12_CIPHERS + " ciphersuites " + TlsParameters.TLS13_CIPHERSUITES
                + " prefer-client-ciphers alpn http/1.1";
    }
}

package dev.porter.bench.proxy;

/**
 * Writes nginx.conf files for the bench: the peer proxy (configured to do the work Porter does)
 * and the static origin. Both run in the foreground ({@code daemon off}) so that the bench owns
 * the master process, with every path (pid, logs, temp) inside the bench's temp dir so that
 * nginx runs unprivileged and leaves nothing behind, and no access log.
 *
 * <p>The peer: the same worker count as Porter; an {@code upstream} with {@code keepalive N} per
 * worker, {@code keepalive_requests 1000} and {@code keepalive_timeout 15s} (Porter's upstream
 * defaults); HTTP/1.1 upstream with {@code Connection} cleared (otherwise nginx sends
 * {@code close} and pools nothing); the client's {@code Host} passed on, and the four
 * forwarded headers Porter adds ({@code X-Forwarded-For} appended, {@code X-Real-IP},
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}); client keep-alive as Porter's listener
 * defaults (75 s, 1000 requests). With a certificate the listener speaks TLS as Porter's does.
 */
public final class NginxConfigWriter {
    private NginxConfigWriter() {
    }

    public static String write(NginxSettings s) {
        String d = s.dir().toAbsolutePath().toString();
        return """
                # written by porter-bench: nginx doing the work Porter does
                worker_processes %d;
                worker_rlimit_nofile %d;
                daemon off;
                master_process on;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events {
                    worker_connections %d;
                }
                http {
                    access_log off;
                    client_body_temp_path %s/client_body;
                    proxy_temp_path %s/proxy;
                    fastcgi_temp_path %s/fastcgi;
                    uwsgi_temp_path %s/uwsgi;
                    scgi_temp_path %s/scgi;
                    # Porter's listener defaults
                    keepalive_timeout 75s;
                    keepalive_requests 1000;
                    upstream app {
                        server %s;
                        keepalive %d;
                        # Porter's upstream keepalive-requests and keepalive-timeout
                        keepalive_requests 1000;
                        keepalive_timeout 15s;
                    }
                    server {
                        listen %s;
                %s        location / {
                            proxy_pass http://app;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Real-IP $remote_addr;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header X-Forwarded-Host $http_host;
                        }
                    }
                }
                """.formatted(s.workers(), Launch.DEFAULT_NOFILE, d, d, workerConnections(), d, d, d, d, d,
                PorterConfigWriter.hostPort(s.upstream()), s.keepalive(),
                PorterConfigWriter.hostPort(s.listen()) + (s.tls() == null ? "" : " ssl"), tls(s.tls()));
    }

    /**
     * The server block's TLS lines: the bench's certificates (OpenSSL serves the first the client
     * accepts) and Porter's listener defaults
     * ({@link TlsParameters}); a shared session cache as Porter's is per process, not per worker.
     * Empty for a plain listener.
     */
    private static String tls(BenchCertificate c) {
        if (c == null) {
            return "";
        }
        String indent = "        ";
        StringBuilder certificates = new StringBuilder();
        for (BenchCertificate.KeyFiles f : c.files()) {
            certificates.append(indent).append("ssl_certificate ").append(f.certificate().toAbsolutePath()).append(";\n")
                    .append(indent).append("ssl_certificate_key ").append(f.key().toAbsolutePath()).append(";\n");
        }
        return certificates + String.join("", java.util.List.of(
                indent + "ssl_protocols " + TlsParameters.PROTOCOLS + ";\n",
                indent + "ssl_ciphers " + TlsParameters.TLS12_CIPHERS + ";\n",
                indent + "ssl_conf_command Ciphersuites " + TlsParameters.TLS13_CIPHERSUITES + ";\n",
                indent + "ssl_session_cache shared:porter_bench:10m;\n",
                indent + "ssl_session_timeout " + TlsParameters.SESSION_TIMEOUT_SECONDS + "s;\n"));
    }

    /**
     * The static origin: one worker answering every request with {@code 200} and the 6-byte body
     * {@code hello\n}, keep-alive without a request limit, so that the origin is cheap, the same for
     * every target, and never the one that closes a pooled connection.
     */
    public static String writeOrigin(java.nio.file.Path dir, java.net.InetSocketAddress listen) {
        String d = dir.toAbsolutePath().toString();
        return """
                # written by porter-bench: the static origin
                worker_processes 1;
                worker_rlimit_nofile %d;
                daemon off;
                master_process on;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events {
                    worker_connections %d;
                }
                http {
                    access_log off;
                    client_body_temp_path %s/client_body;
                    proxy_temp_path %s/proxy;
                    fastcgi_temp_path %s/fastcgi;
                    uwsgi_temp_path %s/uwsgi;
                    scgi_temp_path %s/scgi;
                    default_type text/plain;
                    keepalive_timeout 300s;
                    keepalive_requests 100000000;
                    server {
                        listen %s backlog=4096;
                        location / {
                            return 200 "hello\\n";
                        }
                    }
                }
                """.formatted(Launch.DEFAULT_NOFILE, d, d, workerConnections(), d, d, d, d, d,
                PorterConfigWriter.hostPort(listen));
    }

    /** As many connections per worker as the descriptor limit allows, less a few for logs and listeners. */
    private static int workerConnections() {
        return Launch.DEFAULT_NOFILE - 100;
    }
}

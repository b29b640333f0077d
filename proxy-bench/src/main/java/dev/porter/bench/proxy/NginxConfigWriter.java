package dev.porter.bench.proxy;

/**
 * Writes an nginx.conf equivalent to the Porter config of the throughput scenario: same
 * worker count, an {@code upstream} with {@code keepalive N}, HTTP/1.1 upstream with the
 * {@code Connection} header cleared (otherwise nginx sends {@code close} and pools nothing),
 * the same per-connection request limit (1000) and idle timeout (15 s) as Porter's, no access log, and every path (pid, logs, temp) inside the bench's temp dir so that it
 * runs unprivileged and leaves nothing behind. Runs in the foreground ({@code daemon off})
 * so that the bench owns the master process.
 */
public final class NginxConfigWriter {
    private NginxConfigWriter() {
    }

    public static String write(NginxSettings s) {
        String d = s.dir().toAbsolutePath().toString();
        return """
                # written by porter-bench
                worker_processes %d;
                daemon off;
                master_process on;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events {
                    worker_connections 16384;
                }
                http {
                    access_log off;
                    client_body_temp_path %s/client_body;
                    proxy_temp_path %s/proxy;
                    fastcgi_temp_path %s/fastcgi;
                    uwsgi_temp_path %s/uwsgi;
                    scgi_temp_path %s/scgi;
                    upstream app {
                        server %s;
                        keepalive %d;
                        # as Porter's keepalive-requests and keepalive-timeout in the throughput scenario
                        keepalive_requests 1000;
                        keepalive_timeout 15s;
                    }
                    server {
                        listen %s;
                        location / {
                            proxy_pass http://app;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                }
                """.formatted(s.workers(), d, d, d, d, d, d, d,
                PorterConfigWriter.hostPort(s.upstream()), s.keepalive(), PorterConfigWriter.hostPort(s.listen()));
    }
}

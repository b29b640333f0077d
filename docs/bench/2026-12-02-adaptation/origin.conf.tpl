worker_processes 1;
daemon off;
master_process off;
pid /tmp/ab/origin.pid;
error_log /tmp/ab/origin-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 600s;
  server {
    listen 127.0.0.1:ORIGIN_PORT;
    location / { default_type text/plain; return 200 "hello\n"; }
  }
}

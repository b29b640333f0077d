# nginx as the peer proxy, as porter-bench configures it (one worker, upstream keepalive, the same forwarded headers)
worker_processes 1;
daemon off;
pid DIR/proxy.pid;
error_log DIR/proxy-error.log;
events { worker_connections 20000; }
http {
  access_log off;
  keepalive_timeout 600s;
  keepalive_requests 1000000;
  upstream app { server 127.0.0.1:ORIGIN_PORT; keepalive 1024; keepalive_requests 1000; }
  server {
    listen 127.0.0.1:PROXY_PORT;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }
  }
}

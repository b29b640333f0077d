#!/bin/bash
# tlsrun.sh KIND(rsa|ec): Porter and nginx each terminating TLS in front of the origin; CPU per handshake (ab, c=20, 4000 after 4000 warm).
cd /tmp/nc
KIND=$1
if [ $KIND = rsa ]; then C=/tmp/nc/cert.pem; K=/tmp/nc/key.pem; else C=/tmp/nc/eccert.pem; K=/tmp/nc/eckey.pem; fi
OP=$(grep -o 'listen 127.0.0.1:[0-9]*' origin.conf | cut -d: -f2)
read TP NP AP < <(python3 /work/main/docs/bench/2026-12-02-request-path/scripts/freeport.py 3)
cat > p-$KIND.conf <<EOC
porter {
  workers = 1
  listeners = [ { address = "127.0.0.1:$TP", tls { certificate = "$C", key = "$K" } } ]
  upstreams { app { servers = [ { address = "127.0.0.1:$OP" } ], keepalive = 64 } }
  routes = [ { path-prefix = "/", upstream = app } ]
  admin.address = "127.0.0.1:$AP"
}
EOC
cat > n-$KIND.conf <<EOC
worker_processes 1; daemon off; master_process off; pid /tmp/nc/n-$KIND.pid; error_log /tmp/nc/n-err.log;
events { worker_connections 4096; }
http { access_log off;
  upstream app { server 127.0.0.1:$OP; keepalive 64; }
  server { listen 127.0.0.1:$NP ssl; ssl_certificate $C; ssl_certificate_key $K; ssl_protocols TLSv1.2 TLSv1.3;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
EOC
taskset -c 0 nginx -c /tmp/nc/origin.conf -p /tmp/nc > /dev/null 2>&1 & O=$!
taskset -c 0 nginx -c /tmp/nc/n-$KIND.conf -p /tmp/nc > /dev/null 2>&1 & N=$!
taskset -c 0 /work/main/bin/porter run --config /tmp/nc/p-$KIND.conf > /tmp/nc/p-$KIND.log 2>&1 & P=$!
for i in $(seq 150); do curl -sk -o /dev/null https://127.0.0.1:$TP/ && break; sleep 0.2; done
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
for target in porter:$P:$TP nginx:$N:$NP; do
  IFS=: read name pid port <<< "$target"
  taskset -c 1 ab -q -n 15000 -c 20 https://127.0.0.1:$port/ > /dev/null 2>&1
  c0=$(cpu $pid); taskset -c 1 ab -q -n 4000 -c 20 https://127.0.0.1:$port/ > /tmp/nc/ab-$name-$KIND.txt 2>&1; c1=$(cpu $pid)
  n=$(awk '/Complete requests/{print $3}' /tmp/nc/ab-$name-$KIND.txt)
  echo "$KIND $name handshakes=$n cpu_us_per_handshake=$(( (c1-c0)*10000/n )) $(grep 'SSL/TLS' /tmp/nc/ab-$name-$KIND.txt | tr -s ' ')"
done
kill $P $N $O; wait 2>/dev/null

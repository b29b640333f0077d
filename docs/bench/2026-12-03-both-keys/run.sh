#!/bin/bash
# run.sh [ROUNDS] [MODES]: CPU per full TLS handshake, Porter and nginx, each terminating TLS in
# front of one static nginx origin, with the same certificates: MODES of rsa (RSA 2048 only),
# ec (ECDSA P-256 only), both (ECDSA then RSA for the same name: Porter's certificate/key lists,
# nginx's two ssl_certificate lines). Proxies and origin on CPU 0, ab (a full handshake per
# request, no resumption, c=20) on CPU 1. Each proxy gets 15,000 unmeasured handshakes first
# (Porter's JIT), then ROUNDS rounds of 4,000, alternating which proxy goes first. CPU = the
# process's utime+stime over the measured run. Before the rounds, openssl s_client prints what a
# current client and a TLS 1.2 RSA-only client are served by each proxy in each mode.
# Needs nginx, ab (apache2-utils), openssl, curl, python3; run from the repository after
# `mvn -B -q -DskipTests package`.
set -u
ROUNDS=${1:-3}
MODES=${2:-"rsa ec both"}
REPO=$(cd "$(dirname "$0")/../../.." && pwd)
W=$(mktemp -d /tmp/both-keys.XXXX)
cd "$W"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
freeport() { python3 -c 'import socket
for _ in range('"$1"'):
    s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1], end=" ")'; }
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout rsa.key -out rsa.pem 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout ec.key -out ec.pem 2>/dev/null
read OP < <(freeport 1)
cat > origin.conf <<EOC
worker_processes 1; daemon off; master_process off; pid $W/origin.pid; error_log $W/origin-err.log;
events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:$OP; keepalive_requests 100000; location / { return 200 "hello\n"; } } }
EOC
taskset -c 0 nginx -c "$W/origin.conf" -p "$W" > /dev/null 2>&1 & PIDS+=($!)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
served() { # port, extra s_client options: "<key type> <bits>" of the certificate served
  echo | timeout 10 openssl s_client -connect 127.0.0.1:$1 -servername localhost ${2:-} 2>/dev/null \
    | openssl x509 -noout -text 2>/dev/null | grep -m1 -o 'Public Key Algorithm: [a-zA-Z-]*' | awk '{print $4}'; }
for mode in $MODES; do
  case $mode in
    rsa) PC='certificate = "rsa.pem", key = "rsa.key"'; NC="ssl_certificate $W/rsa.pem; ssl_certificate_key $W/rsa.key;";;
    ec) PC='certificate = "ec.pem", key = "ec.key"'; NC="ssl_certificate $W/ec.pem; ssl_certificate_key $W/ec.key;";;
    both) PC='certificate = [ "ec.pem", "rsa.pem" ], key = [ "ec.key", "rsa.key" ]'
          NC="ssl_certificate $W/ec.pem; ssl_certificate_key $W/ec.key; ssl_certificate $W/rsa.pem; ssl_certificate_key $W/rsa.key;";;
  esac
  read TP NP AP < <(freeport 3)
  cat > porter-$mode.conf <<EOC
porter {
  workers = 1
  listeners = [ { address = "127.0.0.1:$TP", tls { $PC } } ]
  upstreams { app { servers = [ { address = "127.0.0.1:$OP" } ], keepalive = 64 } }
  routes = [ { path-prefix = "/", upstream = app } ]
  admin.address = "127.0.0.1:$AP"
}
EOC
  cat > nginx-$mode.conf <<EOC
worker_processes 1; daemon off; master_process off; pid $W/nginx-$mode.pid; error_log $W/nginx-err.log;
events { worker_connections 4096; }
http { access_log off;
  upstream app { server 127.0.0.1:$OP; keepalive 64; }
  server { listen 127.0.0.1:$NP ssl; $NC ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:SSL:10m;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
EOC
  taskset -c 0 nginx -c "$W/nginx-$mode.conf" -p "$W" > /dev/null 2>&1 & N=$!; PIDS+=($N)
  taskset -c 0 "$REPO/bin/porter" run --config "$W/porter-$mode.conf" > "$W/porter-$mode.log" 2>&1 & P=$!; PIDS+=($P)
  for i in $(seq 150); do curl -sk -o /dev/null "https://127.0.0.1:$TP/" && curl -sk -o /dev/null "https://127.0.0.1:$NP/" && break; sleep 0.2; done
  for target in porter:$TP nginx:$NP; do
    IFS=: read name port <<< "$target"
    echo "$mode $name serves: current client $(served $port) / TLS 1.2 RSA-only client $(served $port '-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256')"
    taskset -c 1 ab -q -n 15000 -c 20 "https://127.0.0.1:$port/" > /dev/null 2>&1
  done
  for r in $(seq "$ROUNDS"); do
    if [ $((r % 2)) = 1 ]; then order="porter:$P:$TP nginx:$N:$NP"; else order="nginx:$N:$NP porter:$P:$TP"; fi
    for target in $order; do
      IFS=: read name pid port <<< "$target"
      c0=$(cpu $pid); taskset -c 1 ab -q -n 4000 -c 20 "https://127.0.0.1:$port/" > "$W/ab.txt" 2>&1; c1=$(cpu $pid)
      n=$(awk '/Complete requests/{print $3}' "$W/ab.txt"); f=$(awk '/Failed requests/{print $3}' "$W/ab.txt")
      echo "$mode round $r $name handshakes=$n failed=$f per_s=$(awk '/Requests per second/{print $4}' "$W/ab.txt") cpu_us_per_handshake=$(( (c1-c0)*10000/n )) $(grep 'SSL/TLS Protocol' "$W/ab.txt" | tr -s ' ')"
    done
  done
  kill $P $N; wait $P $N 2>/dev/null
done

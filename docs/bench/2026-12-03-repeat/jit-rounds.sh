#!/bin/bash
# jit-rounds.sh: Porter as the bench starts it (1 worker, with a static nginx origin on CPU 0, wrk on CPU 1),
# JFR recording compilations and collections from its start (jit.jfc; JFC=path to give it), 9 warm-up
# sessions of 10 s at c=50, then ROUNDS rounds of 10 s with IDLE seconds before each, as the bench. W: work dir.
set -u
W=${W:-/tmp/jfr}; mkdir -p $W; cp "$(dirname "$0")/jit.jfc" $W/ 2>/dev/null; cd $W
read OP PP AP < <(python3 -c 'import socket
for _ in range(3):
    s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1], end=" ")')
cat > origin.conf <<EOC
worker_processes 1; daemon off; master_process off; pid $W/origin.pid; error_log $W/origin-err.log;
events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:$OP; keepalive_requests 100000; location / { return 200 "hello\n"; } } }
EOC
cat > p.conf <<EOC
porter { workers = 1
  listeners = [ { address = "127.0.0.1:$PP" } ]
  upstreams { app { servers = [ { address = "127.0.0.1:$OP" } ], keepalive = 50, keepalive-requests = 1000, keepalive-timeout = 15s } }
  routes = [ { path-prefix = "/", upstream = app } ]
  admin.address = "127.0.0.1:$AP" }
EOC
taskset -c 0 nginx -c $W/origin.conf -p $W >/dev/null 2>&1 & O=$!
PORTER_JAVA_OPTS="-XX:StartFlightRecording=settings=${JFC:-$W/jit.jfc},filename=$W/jit2.jfr,dumponexit=true" taskset -c 0 /work/main/bin/porter run --config $W/p.conf > $W/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
for i in $(seq 9); do taskset -c 1 wrk -t1 -c50 -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
echo "warm-up done $(date +%s.%N)" > times.txt

for r in $(seq ${ROUNDS:-3}); do
  sleep ${IDLE:-35}
  echo "round $r start $(date +%s.%N)" >> times.txt
  taskset -c 1 wrk -t1 -c50 -d10s --latency http://127.0.0.1:$PP/ > wrk-$r.txt 2>&1
  echo "round $r end $(date +%s.%N) p99 $(awk '$1=="99%"{print $2}' wrk-$r.txt) rps $(awk '/Requests\/sec/{print $2}' wrk-$r.txt)" >> times.txt
done
jcmd $P JFR.dump name=1 filename=$W/jit2.jfr > /dev/null
kill $P $O; wait 2>/dev/null
cat times.txt

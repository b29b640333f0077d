#!/bin/bash
# stalltest.sh "JVM flags": Porter with the flags, warm, then c=1000 after the pool drained; listen queue every 0.5 s
cd /tmp/nc; PP=33267
kill $(cat porter.pid) 2>/dev/null; sleep 1
(PORTER_JAVA_OPTS="$1" taskset -c 0 /work/main/bin/porter run --config /tmp/nc/stall.conf > stall.log 2>&1 & echo $! > porter.pid)
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
taskset -c 1 wrk -t1 -c50 -d15s http://127.0.0.1:$PP/ > /dev/null
taskset -c 1 wrk -t1 -c200 -d5s http://127.0.0.1:$PP/ > /dev/null
sleep 17
(for i in $(seq 12); do ss -ltn "sport = :$PP" | tail -1 | awk '{printf "%s ", $2}'; sleep 0.5; done > mon3.txt &)
echo "== $1: $(taskset -c 1 wrk -t1 -c1000 -d10s --timeout 10s --latency http://127.0.0.1:$PP/ | grep -E 'Requests/sec|99%|timeout' | tr -s ' ' | tr '\n' ' ')"
sleep 0.5; echo "listen queue: $(cat mon3.txt)"

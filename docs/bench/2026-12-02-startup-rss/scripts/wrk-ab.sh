#!/bin/bash
# Alternating A/B: Porter of each tree pinned to CPU 0, nginx origin and wrk on CPU 1; 30 s warm-up, 10 s measured
taskset -c 1 nginx -c /tmp/lazy/wrk/nginx.conf -p /tmp/lazy/wrk
sleep 1
for round in 1 2; do
  for v in base step-54aff69; do
    cd /tmp/lazy/$v
    taskset -c 0 bin/porter run --config /tmp/lazy/wrk/porter.conf > /tmp/lazy/wrk/porter.log 2>&1 &
    pid=$!
    for i in $(seq 1 100); do curl -sf -o /dev/null http://127.0.0.1:18100/ && break; sleep 0.2; done
    taskset -c 1 wrk -t1 -c50 -d30s http://127.0.0.1:18100/ > /dev/null
    r=$(taskset -c 1 wrk -t1 -c50 -d10s --latency http://127.0.0.1:18100/)
    echo "$v round $round: $(echo "$r" | grep Requests/sec) $(echo "$r" | grep ' 99%') $(echo "$r" | grep -E 'Non-2xx|Socket errors')"
    kill $pid; wait $pid 2>/dev/null
  done
done
kill $(cat /tmp/lazy/wrk/nginx.pid)

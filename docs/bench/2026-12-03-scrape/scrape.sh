#!/bin/bash
# scrape.sh ROUNDS TREE... : idle RSS at 20 s, then the first /metrics (time), RSS 15 s later, a second /metrics (time)
R=$1; shift
for r in $(seq $R); do
  for T in "$@"; do
    cd $T
    read PP AP < <(python3 /work/main/docs/bench/2026-12-02-adaptation/freeport.py 2)
    sed "s/127.0.0.1:8000/127.0.0.1:$PP/;s/127.0.0.1:9901/127.0.0.1:$AP/" conf/porter.conf > /tmp/rssab/p.conf
    bin/porter run --config /tmp/rssab/p.conf > /tmp/rssab/log 2>&1 & P=$!
    sleep 20
    a=$(awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$P/status)
    t1=$(curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:$AP/metrics)
    sleep 15
    b=$(awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$P/status)
    t2=$(curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:$AP/metrics)
    echo "round $r $T idle $a MiB; first /metrics ${t1}s; RSS 15 s after it $b MiB; second /metrics ${t2}s"
    kill $P; wait $P 2>/dev/null
  done
done

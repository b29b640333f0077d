#!/bin/bash
# rounds-gc.sh: the bench's order of loads (c=50, 200, 1000, then again), Porter alone with its
# GC log: per c=50 run, wrk's finer percentiles and the young collections in it (count, heap after).
set -u
D=/tmp/pnc/rounds
A=/work/main/docs/bench/2026-12-02-adaptation
GCL=/tmp/pnc/rounds-gc.log
JOPTS="-Xlog:gc:file=$GCL:uptime ${JOPTS:-}"
. "$A/start.sh"
L=/work/main/docs/bench/2026-12-03-tail/pct.lua
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c50 -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for r in 1 2 3 4; do
  for c in 50 200 1000; do
    n0=$(wc -l < $GCL)
    out=$(taskset -c 1 wrk -t1 -c$c -d10s --timeout 10s -s $L http://127.0.0.1:$PP/ 2>&1 | tail -1)
    gc=$(tail -n +$((n0 + 1)) $GCL | awk '/Pause Young/ {n++; last=$(NF-1)} /Pause Full/ {f++} END {printf "young %d, full %d, last %s", n, f, last}')
    echo "round $r c=$c ${out%% p99.5*} | $gc"
  done
done
stop_all

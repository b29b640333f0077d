#!/bin/bash
# threads.sh CONC: Porter (workers=1) and its static nginx origin on CPU 0, wrk on CPU 1; 60 s of
# warm-up, then per 10-s run: CPU ms and run-queue wait ms of each of Porter's threads that ran,
# and wrk's finer percentiles (pct.lua).
set -u
C=${1:-50}; D=/tmp/pnc/threads
A=/work/main/docs/bench/2026-12-02-adaptation
. "$A/start.sh"
L=$(dirname "$0")/pct.lua
snap() { for t in /proc/$1/task/*; do read run wait _ < $t/schedstat; echo "${t##*/} $(tr ' ' _ < $t/comm) $run $wait"; done | sort; }
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for r in 1 2 3; do
  a=$(snap $P); o0=$(snap $NGX)
  taskset -c 1 wrk -t1 -c$C -d10s -s $L http://127.0.0.1:$PP/ 2>&1 | tail -1
  b=$(snap $P); o1=$(snap $NGX)
  join <(echo "$a") <(echo "$b") | awk '{c=($6-$3)/1e6; w=($7-$4)/1e6; if (c > 0.05) printf "  %-18s cpu %8.1f ms  wait %7.1f ms\n", $2, c, w}'
  join <(echo "$o0") <(echo "$o1") | awk '{printf "  origin %-11s cpu %8.1f ms  wait %7.1f ms\n", $2, ($6-$3)/1e6, ($7-$4)/1e6}'
done
stop_all

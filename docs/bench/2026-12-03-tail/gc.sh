#!/bin/bash
# gc.sh CONC: Porter (workers=1, io_uring) and its static nginx origin on CPU 0, wrk on CPU 1; 60 s
# of warm-up, then three 10-s runs, each with wrk's finer percentiles (pct.lua) and the young
# collections the GC log shows in that run: count, total and longest pause.
set -u
C=${1:-50}; D=/tmp/pnc/gc
A=/work/main/docs/bench/2026-12-02-adaptation
JOPTS="-Xlog:gc:file=/tmp/pnc/gc-porter.log:uptime ${JOPTS:-}"
. "$A/start.sh"
L=$(dirname "$0")/pct.lua
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for r in 1 2 3; do
  n0=$(wc -l < /tmp/pnc/gc-porter.log)
  out=$(taskset -c 1 wrk -t1 -c$C -d10s -s $L http://127.0.0.1:$PP/ 2>&1 | tail -1)
  tail -n +$((n0 + 1)) /tmp/pnc/gc-porter.log | awk -v out="$out" '/Pause/ {n++; ms=$NF; sub("ms","",ms); t+=ms; if (ms>m) m=ms}
    END {printf "%s | GC pauses %d, total %.1f ms, longest %.2f ms\n", out, n, t, m}'
done
tail -3 /tmp/pnc/gc-porter.log
stop_all

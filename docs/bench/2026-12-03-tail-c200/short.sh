#!/bin/bash
# short.sh CONC: is the max latency at the start of a run (new connections)? 2-s runs against 10-s runs.
set -u
C=${1:-200}; D=/tmp/pnc/short
A=/work/main/docs/bench/2026-12-02-adaptation
. "$A/start.sh"
L=/work/main/docs/bench/2026-12-03-tail/pct.lua
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for r in 1 2 3; do
  echo "2 s:  $(taskset -c 1 wrk -t1 -c$C -d2s -s $L http://127.0.0.1:$PP/ 2>&1 | tail -1)"
  echo "10 s: $(taskset -c 1 wrk -t1 -c$C -d10s -s $L http://127.0.0.1:$PP/ 2>&1 | tail -1)"
done
stop_all

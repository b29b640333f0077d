#!/bin/bash
# offcore.sh CONC PAIRS: is Porter's tail its worker's, or its other threads' (JIT compilers, GC,
# JMX notifications, admin)? One Porter process (workers=1) and its static nginx origin on CPU 0,
# wrk on CPU 1; 60 s warm-up; then PAIRS alternating 10-s runs: A, every thread on CPU 0 (as the
# bench runs it); B, every thread but porter-worker-1 moved to CPU 1 (a diagnosis, not a setup).
set -u
C=${1:-50}; PAIRS=${2:-3}; D=/tmp/pnc/offcore
A=/work/main/docs/bench/2026-12-02-adaptation
. "$A/start.sh"
L=$(dirname "$0")/pct.lua
others() { for t in /proc/$P/task/*; do [ "$(cat $t/comm)" != porter-worker-1 ] && echo ${t##*/}; done; }
place() { for t in $(others); do taskset -p -c $1 $t > /dev/null; done; }
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for r in $(seq $PAIRS); do
  place 0; echo "A all on CPU 0:     $(taskset -c 1 wrk -t1 -c$C -d10s -s $L http://127.0.0.1:$PP/ 2>&1 | tail -1)"
  place 1; echo "B others on CPU 1:  $(taskset -c 1 wrk -t1 -c$C -d10s -s $L http://127.0.0.1:$PP/ 2>&1 | tail -1)"
done
stop_all

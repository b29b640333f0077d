#!/bin/bash
# jitcpu.sh CONC MOVE: threads.sh's set-up; after 30 s of warm-up, MOVE=1 moves Porter's JIT compiler threads to
# CPU 1 (the load generator's core), MOVE=0 leaves them on CPU 0 with the worker; then 20 s of measured load.
# A diagnostic: does the worker's tail latency come from the JIT taking the worker's core?
set -u
C=$1; M=$2; D=/tmp/pnc/jitcpu
. "$(dirname "$0")/start.sh"
taskset -c 1 wrk -t1 -c$C -d30s http://127.0.0.1:$PP/ > /dev/null 2>&1
if [ $M = 1 ]; then for t in /proc/$P/task/*; do grep -q Compiler $t/comm && taskset -p -c 1 ${t##*/} > /dev/null; done; fi
taskset -c 1 wrk -t1 -c$C -d20s --latency http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1
echo "move=$M: $(awk '$1=="50%"{print "p50", $2} $1=="90%"{print "p90", $2} $1=="99%"{print "p99", $2} /Requests\/sec/{print $2, "req/s"}' $D/wrk.txt | tr '\n' ' ')"
stop_all

#!/bin/bash
# jitcpu.sh CONC MOVE: threads.sh's set-up; after 30 s of warm-up, MOVE=1 moves Porter's JIT compiler threads to
# CPU 1 (the load generator's core), MOVE=0 leaves them on CPU 0 with the worker; then 20 s of measured load.
# A diagnostic: does the worker's tail latency come from the JIT taking the worker's core?
set -u
C=$1; M=$2; D=/tmp/pnc/jitcpu; rm -rf $D; mkdir -p $D
S=$(cd $(dirname $0); pwd)
read OP PP AP < <(python3 $S/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/;s#/tmp/ab/#$D/#" $S/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/;s/keepalive = 512/keepalive = 1024/" $S/porter.conf.tpl > $D/p.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
taskset -c 0 /work/main/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
taskset -c 1 wrk -t1 -c$C -d30s http://127.0.0.1:$PP/ > /dev/null 2>&1
if [ $M = 1 ]; then for t in /proc/$P/task/*; do grep -q Compiler $t/comm && taskset -p -c 1 ${t##*/} > /dev/null; done; fi
taskset -c 1 wrk -t1 -c$C -d20s --latency http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1
echo "move=$M: $(awk '$1=="50%"{print "p50", $2} $1=="90%"{print "p90", $2} $1=="99%"{print "p99", $2} /Requests\/sec/{print $2, "req/s"}' $D/wrk.txt | tr '\n' ' ')"
kill $P; wait $P 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null

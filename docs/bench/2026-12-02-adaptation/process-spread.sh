#!/bin/bash
# process-spread.sh N: how much Porter's steady state moves from one process to the next, against
# the machine's own noise. N times: a fresh Porter (workers=1) and a fresh nginx proxy, both in
# front of one static nginx origin on CPU 0, wrk on CPU 1. Porter is warmed as the bench warms
# it (six 10-s sessions at c=50, each on new connections), nginx for 20 s. Then three alternating
# pairs of 10-s runs at c=50, then three at c=200. Prints CPU µs per request and p99 per run.
set -u
N=${1:-4}
S=$(cd "$(dirname "$0")"; pwd)
for n in $(seq $N); do
  D=/tmp/pnc/spread$n
  . "$S/start.sh"
  read NP < <(python3 $S/freeport.py 1)
  sed "s/ORIGIN_PORT/$OP/;s/PROXY_PORT/$NP/;s#DIR#$D#" $S/proxy-nginx.conf.tpl > $D/proxy.conf
  taskset -c 0 nginx -c $D/proxy.conf -p $D > /dev/null 2>&1 & NPX=$!
  sleep 1
  NW=$(pgrep -P $NPX | head -1)
  cpu() { local s=0; for p in "$@"; do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $s; }
  run() { # port conc secs label pids...
    local port=$1 c=$2 secs=$3 label=$4; shift 4
    local c0=$(cpu "$@"); local out=$(taskset -c 1 wrk -t1 -c$c -d${secs}s --latency http://127.0.0.1:$port/ 2>&1); local c1=$(cpu "$@")
    local n=$(echo "$out" | awk '/requests in/{print $1}')
    echo "process $N_ $label c=$c rps=$(echo "$out" | awk '/Requests\/sec/{print $2}') p99=$(echo "$out" | awk '$1=="99%"{print $2}') cpu_us_per_req=$(python3 -c "print(round(($c1-$c0)*10000/$n,1))")"; }
  N_=$n
  for i in 1 2 3 4 5 6; do run $PP 50 10 warm $P > /dev/null; done
  for i in 1 2; do run $NP 50 10 warm $NPX $NW > /dev/null; done
  for c in 50 200; do
    for r in 1 2 3; do run $PP $c 10 porter $P; run $NP $c 10 nginx $NPX $NW; done
  done
  kill $NPX; wait $NPX 2>/dev/null
  stop_all
done

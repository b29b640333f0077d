#!/bin/bash
# shape.sh CONC PAIRS: the shape of the tail, Porter against nginx, from wrk's finer percentiles
# (pct.lua). One Porter (workers=1) and one nginx proxy (1 worker) in front of one static nginx
# origin, all on CPU 0, wrk on CPU 1; Porter warmed 60 s, nginx 20 s; PAIRS alternating 10-s runs.
set -u
C=${1:-50}; PAIRS=${2:-4}; D=/tmp/pnc/shape
A=/work/main/docs/bench/2026-12-02-adaptation
. "$A/start.sh"
L=$(dirname "$0")/pct.lua
read NP < <(python3 $A/freeport.py 1)
sed "s/ORIGIN_PORT/$OP/;s/PROXY_PORT/$NP/;s#DIR#$D#" $A/proxy-nginx.conf.tpl > $D/proxy.conf
taskset -c 0 nginx -c $D/proxy.conf -p $D > /dev/null 2>&1 & NPX=$!
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for i in 1 2; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$NP/ > /dev/null 2>&1; done
for r in $(seq $PAIRS); do
  echo "porter $(taskset -c 1 wrk -t1 -c$C -d10s -s $L http://127.0.0.1:$PP/ 2>&1 | tail -1)"
  echo "nginx  $(taskset -c 1 wrk -t1 -c$C -d10s -s $L http://127.0.0.1:$NP/ 2>&1 | tail -1)"
done
kill $NPX; wait $NPX 2>/dev/null
stop_all

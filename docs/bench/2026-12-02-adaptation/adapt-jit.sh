#!/bin/bash
# adapt-jit.sh [JAVA_OPTS...]: adapt.sh with the JIT's log: Porter (workers=1) + static nginx origin on CPU 0,
# wrk on CPU 1; 60 s at c=50, then 10-s slices at c=200, then 3 at c=50. Each slice line carries the JVM's
# uptime in ms so it lines up with -XX:+PrintCompilation's timestamps (the "made not entrant" lines are deopts).
set -u
D=/tmp/pnc/adapt-jit; rm -rf $D; mkdir -p $D
S=$(cd $(dirname $0); pwd); SLICES=${SLICES:-15}
read OP PP AP < <(python3 $S/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/;s#/tmp/ab/#$D/#" $S/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/;s/keepalive = 512/keepalive = 1024/" $S/porter.conf.tpl > $D/p.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
PORTER_JAVA_OPTS="-XX:+PrintCompilation $*" taskset -c 0 /work/main/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
up() { echo $(( ($(date +%s%N) - START) / 1000000 )); }
START=$(date -d "$(ps -o lstart= -p $P)" +%s%N)
echo "c=50 warm-up from $(up) ms"
taskset -c 1 wrk -t1 -c50 -d60s http://127.0.0.1:$PP/ > /dev/null 2>&1
slice() { c0=$(awk '{print $14+$15}' /proc/$P/stat); n0=$(awk '{print $14+$15}' /proc/$NGX/stat); t0=$(up)
  out=$(taskset -c 1 wrk -t1 -c$1 -d10s http://127.0.0.1:$PP/ 2>&1); c1=$(awk '{print $14+$15}' /proc/$P/stat); n1=$(awk '{print $14+$15}' /proc/$NGX/stat)
  n=$(echo "$out" | awk '/requests in/{print $1}')
  echo "c=$1 slice $2 from ~$t0 ms: $(echo "$out" | awk '/Requests\/sec/{print $2}') req/s, porter $(python3 -c "print(round(($c1-$c0)*10000/$n,1))") us/req, origin $(python3 -c "print(round(($n1-$n0)*10000/$n,1))") us/req"; }
for i in $(seq $SLICES); do slice 200 $i; done
for i in 1 2 3; do slice 50 $i; done
kill $P; wait $P 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null

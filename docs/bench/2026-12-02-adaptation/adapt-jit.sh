#!/bin/bash
# adapt-jit.sh [JAVA_OPTS...]: adapt.sh with the JIT's log: Porter (workers=1) + static nginx origin on CPU 0,
# wrk on CPU 1; 60 s at c=50, then 10-s slices at c=200, then 3 at c=50. Each slice line carries the JVM's
# uptime in ms so it lines up with -XX:+PrintCompilation's timestamps (the "made not entrant" lines are deopts).
set -u
D=/tmp/pnc/adapt-jit
JOPTS="-XX:+PrintCompilation $*"; SLICES=${SLICES:-15}
. "$(dirname "$0")/start.sh"
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
stop_all

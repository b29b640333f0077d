#!/bin/bash
# status.sh LABEL N: idle RSS at 15 s, then the first GET /status (wall time, process CPU), RSS 5 s later
cd ${WT:-/work/wt-lazy-start}
for i in $(seq 1 ${2:-3}); do
PORTER_JAVA_OPTS="${EXTRA:-}" bin/porter run --config conf/porter.conf > /tmp/lazy/status.log 2>&1 &
pid=$!
sleep 15
r1=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
c1=$(awk '{print $14+$15}' /proc/$pid/stat)
t=$(curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:9901/status)
sleep 5
c2=$(awk '{print $14+$15}' /proc/$pid/stat)
r2=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
t2=$(curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:9901/status)
echo "$1 run $i: idle $r1 kB; first /status ${t}s, CPU $((c2-c1)) ticks (10 ms, incl. 5 s idle); RSS after $r2 kB; second /status ${t2}s"
kill $pid; wait $pid 2>/dev/null
done

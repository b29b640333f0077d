#!/bin/bash
# ab-admin.sh ROUNDS: Porter's p99 at c=50 with the admin listener (and its meter refresh every 5 s
# on the admin thread, which the bench's pinning puts on the worker's core) against without it.
# Fresh processes, alternating; each: 30 s of load, then two measured wrk runs of 10 s.
set -u
R=${1:-3}
for r in $(seq "$R"); do
  for mode in admin noadmin; do
    D=/tmp/pnc/ab-admin-$mode
    if [ $mode = noadmin ]; then PTPL="$(dirname "$0")/porter-noadmin.conf.tpl"; else PTPL=""; fi
    . "$(dirname "$0")/start.sh"
    taskset -c 1 wrk -t1 -c50 -d30s http://127.0.0.1:$PP/ > /dev/null 2>&1
    for m in 1 2; do
      taskset -c 1 wrk -t1 -c50 -d10s --latency http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1
      echo "round $r $mode run $m: $(grep -E 'Requests/sec' $D/wrk.txt | awk '{print $2}') req/s, p50 $(grep -E '^ +50%' $D/wrk.txt | awk '{print $2}'), p99 $(grep -E '^ +99%' $D/wrk.txt | awk '{print $2}')"
    done
    stop_all
    unset PTPL
  done
done

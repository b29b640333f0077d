#!/bin/bash
# traps.sh CONC: which compiled code falls back to the interpreter (uncommon traps) at steady load, when
# each 10-s run of wrk opens its connections anew. Porter (workers=1) with -XX:+LogCompilation and its
# static nginx origin on CPU 0, wrk on CPU 1; 60 s of warm-up (six runs), then three runs; prints the
# traps logged in each of the three runs by reason, action and method (the trap's innermost frame).
set -u
C=${1:-200}; D=/tmp/pnc/traps
A=/work/main/docs/bench/2026-12-02-adaptation
LOG=/tmp/pnc/traps-compilation.log
JOPTS="-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$LOG ${JOPTS:-}"
. "$A/start.sh"
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
traps() { grep -c '<uncommon_trap thread' $LOG; }
for r in 1 2 3; do
  n0=$(wc -l < $LOG)
  out=$(taskset -c 1 wrk -t1 -c$C -d10s -s /work/main/docs/bench/2026-12-03-tail/pct.lua http://127.0.0.1:$PP/ 2>&1 | tail -1)
  echo "run $r: $out"
  # An executed trap: <uncommon_trap thread='..' reason='..' action='..' ...> then <jvms bci='..' method='..'/> lines.
  tail -n +$((n0 + 1)) $LOG | awk '/<uncommon_trap thread=/ {match($0, /reason=.[a-z_0-9]*/); r=substr($0, RSTART+8, RLENGTH-8); match($0, /action=.[a-z_]*/); a=substr($0, RSTART+8, RLENGTH-8); want=1; next}
      want && /<jvms / {match($0, /method=.[^ ]*/); m=substr($0, RSTART+8, RLENGTH-8); print r, a, m; want=0}' | sort | uniq -c | sort -rn | head -15
done
stop_all

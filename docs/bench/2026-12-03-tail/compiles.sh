#!/bin/bash
# compiles.sh CONC: what the JIT still compiles at steady load. Porter (workers=1) with
# -XX:+PrintCompilation and its static nginx origin on CPU 0, wrk on CPU 1; 60 s of warm-up, then
# three 10-s runs; prints the compilations (and deoptimizations: "made not entrant") logged
# during each run, by tier, and the methods compiled most.
set -u
C=${1:-50}; D=/tmp/pnc/compiles
A=/work/main/docs/bench/2026-12-02-adaptation
JOPTS="-XX:+PrintCompilation ${JOPTS:-}"
. "$A/start.sh"
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for r in 1 2 3; do
  n0=$(wc -l < $D/p.log)
  taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1
  tail -n +$((n0 + 1)) $D/p.log > $D/run$r.txt
  echo "run $r: $(grep -c . $D/run$r.txt) lines; made not entrant: $(grep -c 'made not entrant' $D/run$r.txt); by tier: $(awk '$3 ~ /^[0-4]$/ {t[$3]++} $4 ~ /^[0-4]$/ {t[$4]++} END {for (k in t) printf "%s:%d ", k, t[k]}' $D/run$r.txt)"
  grep -v 'made not entrant' $D/run$r.txt | grep -o '[a-zA-Z0-9_.$]*::[a-zA-Z0-9_<>$]*' | sed 's/.*\.\([A-Za-z0-9_$]*::\)/\1/' | sort | uniq -c | sort -rn | head -12
done
stop_all

#!/bin/bash
# turnover.sh CONC: what the JIT undoes when a load generator's connections turn over. Porter
# (workers=1) with -XX:+PrintCompilation, its static nginx origin on CPU 0, wrk on CPU 1; 60 s of
# warm-up (six 10-s runs, each on new connections), then three 10-s runs. For each run: the
# compiled methods made not entrant, with the second of the run they fell in (the JVM's uptime
# from jcmd at the run's start), Porter's and Netty's listed by name.
set -u
C=${1:-50}; D=/tmp/pnc/turnover
A=/work/main/docs/bench/2026-12-02-adaptation
JOPTS="-XX:+PrintCompilation ${JOPTS:-}"
. "$A/start.sh"
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for r in 1 2 3; do
  n0=$(wc -l < $D/p.log)
  t0=$(jcmd $P VM.uptime | awk 'NR==2 {print int($1 * 1000)}')
  out=$(taskset -c 1 wrk -t1 -c$C -d10s --latency http://127.0.0.1:$PP/ 2>&1)
  echo "run $r: p99 $(echo "$out" | awk '$1=="99%"{print $2}'), made not entrant by second of the run:" \
    "$(tail -n +$((n0 + 1)) $D/p.log | awk -v t0=$t0 '/made not entrant/ {s=int(($1 - t0) / 1000); n[s]++} END {for (k in n) printf "%s:%d ", k, n[k]}')"
  tail -n +$((n0 + 1)) $D/p.log | awk -v t0=$t0 '/made not entrant/ && /(dev\.porter|io\.netty)/ {m = ""; for (i = 1; i <= NF; i++) if ($i ~ /::/) m = $i; printf "  %5.2f s  %s\n", ($1 - t0) / 1000, m}' | head -40
done
stop_all

#!/bin/bash
# sched.sh ROUNDS CONC: where a request waits on the shared core. Porter (workers=1) and an nginx
# proxy (1 worker), each in front of one static nginx origin, all on CPU 0; wrk -t1 on CPU 1.
# After warm-up (Porter: six 10-s runs, nginx: two), ROUNDS alternating pairs of 10-s runs. For
# each run, from /proc/PID/task/*/schedstat and status, per request: CPU µs, run-queue wait µs
# (runnable but not running), and context switches (voluntary / involuntary), for the proxy's
# threads (the worker separately) and for the origin; with wrk's req/s, p50 and p99.
set -u
ROUNDS=${1:-3}; C=${2:-50}
D=/tmp/pnc/tail
A=/work/main/docs/bench/2026-12-02-adaptation
PTPL=${PTPL:-$A/porter.conf.tpl}
. "$A/start.sh"
read NP < <(python3 $A/freeport.py 1)
sed "s/ORIGIN_PORT/$OP/;s/PROXY_PORT/$NP/;s#DIR#$D#" $A/proxy-nginx.conf.tpl > $D/proxy.conf
taskset -c 0 nginx -c $D/proxy.conf -p $D > /dev/null 2>&1 & NPX=$!
sleep 1
NW=$(pgrep -P $NPX | head -1)
# snap PID...: "tid comm cpu_ns wait_ns vol invol" for every thread
snap() { for p in "$@"; do for t in /proc/$p/task/*; do
  read run wait _ < $t/schedstat
  v=$(awk '/^voluntary_ctxt/{print $2}' $t/status); iv=$(awk '/^nonvoluntary_ctxt/{print $2}' $t/status)
  echo "${t##*/} $(tr ' ' _ < $t/comm) $run $wait $v $iv"; done; done | sort; }
# sums over threads matching a comm regex: cpu wait vol invol
delta() { join <(echo "$1") <(echo "$2") | awk -v re="$3" '$2 ~ re {c+=$8-$3; w+=$9-$4; v+=$10-$5; i+=$11-$6} END {printf "%.0f %.0f %.0f %.0f\n", c, w, v, i}'; }
run() { # port label proxy-pids...
  local port=$1 label=$2; shift 2
  local p0=$(snap "$@"); local o0=$(snap $NGX)
  local out=$(taskset -c 1 wrk -t1 -c$C -d10s --latency http://127.0.0.1:$port/ 2>&1)
  local p1=$(snap "$@"); local o1=$(snap $NGX)
  local n=$(echo "$out" | awk '/requests in/{print $1}')
  local wre='.'; [ $label = porter ] && wre='^porter-worker'
  read pc pw pv pi < <(delta "$p0" "$p1" '.')
  read wc ww wv wi < <(delta "$p0" "$p1" "$wre")
  read oc ow ov oi < <(delta "$o0" "$o1" '.')
  python3 - "$label" "$n" "$pc" "$pw" "$pv" "$pi" "$wc" "$ww" "$oc" "$ow" "$ov" "$oi" \
      "$(echo "$out" | awk '/Requests\/sec/{print $2}')" "$(echo "$out" | awk '$1=="50%"{print $2}')" "$(echo "$out" | awk '$1=="99%"{print $2}')" <<'PY'
import sys
l, n, pc, pw, pv, pi, wc, ww, oc, ow, ov, oi, rps, p50, p99 = sys.argv[1:]
n = int(n); f = lambda x: float(x) / 1000 / n
print(f"{l:6} rps={rps} p50={p50} p99={p99} | proxy cpu={f(pc):.1f}us wait={f(pw):.2f}us "
      f"sw/req vol={int(pv)/n:.3f} invol={int(pi)/n:.3f} | worker cpu={f(wc):.1f} wait={f(ww):.2f} "
      f"| origin cpu={f(oc):.1f}us wait={f(ow):.2f}us sw/req vol={int(ov)/n:.3f} invol={int(oi)/n:.3f}")
PY
}
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for i in 1 2; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$NP/ > /dev/null 2>&1; done
echo "# c=$C; porter threads: $(for t in /proc/$P/task/*; do cat $t/comm; done | tr ' ' _ | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
for r in $(seq $ROUNDS); do run $PP porter $P; run $NP nginx $NPX $NW; done
kill $NPX; wait $NPX 2>/dev/null
stop_all

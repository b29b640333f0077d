#!/bin/bash
# ab.sh "FLAGS_A" "FLAGS_B" ROUNDS MODES...  (mode: ka50 ka200 ka1000 nc20)
# A and B: bin/porter with PORTER_JAVA_OPTS; nginx origin; all on CPU 0 (SERVER_CPUS), load on CPU 1 (LOAD_CPUS).
# Alternating rounds. PTPL: another Porter config template (porter2.conf.tpl: two workers).
# TA, TB: a transport for A and B, given to Porter as PORTER_TRANSPORT (for a template that reads
# it: ../2026-12-02-run-h/porter-transport.conf.tpl).
# HOOK: a command run after the warm-up with the PIDs of A and B as $1 and $2.
# LUA: a wrk script for the keep-alive modes (../2026-12-03-tail/pct.lua: finer percentiles); its last line is
# printed in place of wrk's p99.
set -u
FA=$1; FB=$2; R=$3; shift 3
WA=${WA:-/work/main}; WB=${WB:-/work/main}
D=/tmp/ab/run; rm -rf $D; mkdir -p $D
read OP PA AA PB AB < <(python3 $(dirname $0)/freeport.py 5)
sed "s/ORIGIN_PORT/$OP/" $(dirname $0)/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PA/;s/ADMIN_PORT/$AA/;s/keepalive = 512/keepalive = 1024/" ${PTPL:-$(dirname $0)/porter.conf.tpl} > $D/a.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PB/;s/ADMIN_PORT/$AB/;s/keepalive = 512/keepalive = 1024/" ${PTPL:-$(dirname $0)/porter.conf.tpl} > $D/b.conf
taskset -c ${SERVER_CPUS:-0} nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
start_a() { env ${TA:+PORTER_TRANSPORT=$TA} PORTER_JAVA_OPTS="$FA" taskset -c ${SERVER_CPUS:-0} $WA/bin/porter run --config $D/a.conf > $D/a.log 2>&1 & A=$!; }
start_b() { env ${TB:+PORTER_TRANSPORT=$TB} PORTER_JAVA_OPTS="$FB" taskset -c ${SERVER_CPUS:-0} $WB/bin/porter run --config $D/b.conf > $D/b.log 2>&1 & B=$!; }
# The Porter started second measured slower whichever build it ran (../2026-12-03-legs/): FIRST=B starts B first.
if [ "${FIRST:-A}" = B ]; then start_b; start_a; else start_a; start_b; fi
for p in $PA $PB; do for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$p/ && break; sleep 0.2; done; done
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
load() { # port mode secs
  case $2 in
    ka*) taskset -c ${LOAD_CPUS:-1} wrk -t1 -c${2#ka} -d$3s --timeout 10s ${LUA:+-s $LUA} --latency http://127.0.0.1:$1/ ;;
    nc*) taskset -c ${LOAD_CPUS:-1} ab -q -c ${2#nc} -t $3 -n 10000000 http://127.0.0.1:$1/ ;;
  esac; }
for m in "$@"; do for p in $PA $PB; do load $p $m 20 > /dev/null 2>&1; done; done   # warm-up
[ -n "${HOOK:-}" ] && bash -c "$HOOK" hook $A $B   # HOOK: a command run after the warm-up, given A's and B's PIDs
for m in "$@"; do
 for r in $(seq $R); do
  order="A B"; [ $((r % 2)) = 0 ] && order="B A"
  for x in $order; do
   if [ $x = A ]; then p=$PA; pid=$A; else p=$PB; pid=$B; fi
   c0=$(cpu $pid); out=$(load $p $m 10); c1=$(cpu $pid)
   case $m in
    ka*) n=$(echo "$out" | awk '/requests in/{print $1}'); if [ -n "${LUA:-}" ]; then p99=$(echo "$out" | tail -1); else p99=$(echo "$out" | awk '$1=="99%"{print $2}'); fi; rps=$(echo "$out" | awk '/Requests\/sec/{print $2}');;
    nc*) n=$(echo "$out" | awk '/Complete requests/{print $3}'); p99=$(echo "$out" | awk '$1=="99%"{print $2"ms"}'); rps=$(echo "$out" | awk '/Requests per second/{print $4}');;
   esac
   us=$(python3 -c "print(round(($c1-$c0)*10000/$n,2))")
   echo "$m r$r $x rps=$rps p99=$p99 cpu_us_per_req=$us"
  done
 done
done
kill $A $B; wait $A $B 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null

#!/bin/bash
# legs.sh CONC PAIRS [tcpdump|perf]: where the time of Porter's and nginx's slow requests goes.
# One Porter (workers=1) and one nginx proxy (1 worker) in front of one static nginx origin, all on CPU 0; wrk (id.lua)
# on CPU 1. Porter warmed 60 s, nginx 20 s; then PAIRS alternating 10-s runs, each watched for 3 s from its 4th second
# (FROM=0: from its start, when its new connections arrive):
#  tcpdump: a capture of 'lo', read by legs.py (each request's time in the proxy, the origin, the proxy again), plus
#           the CPU Porter's threads used meanwhile;
#  perf:    the scheduler's switches and wake-ups, read by waits.py (how long the proxy's loop waited for the core);
#  both:    both at once; legs.py then prints its silences in perf's clock too.
set -u
taskset -pc 1 $$ > /dev/null   # this script's own helpers (sed, awk, perf, python) on the load's core, not the proxies'
C=${1:-200}; PAIRS=${2:-3}; MODE=${3:-tcpdump}; D=/tmp/pnc/legs
A=/work/main/docs/bench/2026-12-02-adaptation
. "$A/start.sh"
H=$(cd "$(dirname "$0")"; pwd)
read NP < <(python3 $A/freeport.py 1)
sed "s/ORIGIN_PORT/$OP/;s/PROXY_PORT/$NP/;s#DIR#$D#" $A/proxy-nginx.conf.tpl > $D/proxy.conf
taskset -c 0 nginx -c $D/proxy.conf -p $D > /dev/null 2>&1 & NPX=$!
for i in 1 2 3 4 5 6; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
for i in 1 2; do taskset -c 1 wrk -t1 -c$C -d10s http://127.0.0.1:$NP/ > /dev/null 2>&1; done
threads() { # "name#tid|CPU ticks" of each of Porter's threads
  for t in /proc/$P/task/*; do echo "$(cat $t/comm)#${t##*/}|$(sed 's/.*) //' $t/stat | awk '{print $12+$13}')"; done | sort; }
loop_tid() { # the thread that runs the proxy's event loop
  if [ $1 = porter ]; then grep -l '^porter-worker-1$' /proc/$P/task/*/comm | cut -d/ -f5; else pgrep -P $NPX; fi; }
watch() { # name port
  if [ $MODE != tcpdump ]; then
    perf record -q -k mono -e sched:sched_switch -e sched:sched_wakeup -a -o $D/perf.data -- sleep 3 2> /dev/null & R=$!
    [ $MODE = perf ] && { wait $R; return; }
  fi
  [ $1 = porter ] && threads > $D/t0
  taskset -c 1 timeout 3 tcpdump -i lo -s 400 -B 262144 -w $D/cap.pcap \
    "tcp and (port $2 or port $OP) and (tcp[tcpflags] & (tcp-push|tcp-syn) != 0)" 2> $D/tcpdump.txt
  [ $1 = porter ] && threads > $D/t1
  [ $MODE = both ] && wait $R
}
report() { # name port
  if [ $MODE != tcpdump ]; then
    perf script -i $D/perf.data -F comm,tid,cpu,time,event,trace 2> /dev/null > $D/perf.txt
    python3 $H/waits.py $D/perf.txt $(loop_tid $1)
    [ $MODE = perf ] && return
  fi
  echo "   tcpdump: $(grep -h 'dropped by kernel' $D/tcpdump.txt)"
  MONO=$(python3 -c 'import time; print(time.time() - time.clock_gettime(time.CLOCK_MONOTONIC))') \
    python3 $H/legs.py $D/cap.pcap $2 $OP --slow
  # Porter's threads that used more than 5 ms of CPU during the capture
  [ $1 = porter ] && join -t'|' $D/t0 $D/t1 | awk -F'|' '{d=($3-$2)*10; if (d > 5) printf "  %s %.0f ms\n", $1, d}'
}
run() { # name port
  taskset -c 1 wrk -t1 -c$C -d10s -s $H/id.lua http://127.0.0.1:$2/ > $D/wrk.txt 2>&1 & W=$!
  sleep ${FROM:-4}
  watch $1 $2
  wait $W
  echo "== $1: wrk $(tail -1 $D/wrk.txt)"
  report $1 $2
}
for r in $(seq $PAIRS); do run porter $PP; run nginx $NP; done
kill $NPX; wait $NPX 2>/dev/null
stop_all

#!/bin/bash
# Large responses (8 MiB, read from the upstream in many pieces, each a read that now also sends
# the pending ACK) through two Porter builds side by side: CPU per download and downloads/s.
# nginx serves the file; Porter A and B on CPU 0 with it, the client (curl, 4 at a time) on CPU 1.
# Usage: run.sh JAR_A JAR_B ROUNDS
set -u
D=$(cd "$(dirname "$0")" && pwd); A=$1; B=$2; R=${3:-4}
W=/tmp/body-ack-large; rm -rf $W; mkdir -p $W/www
head -c $((8 * 1024 * 1024)) /dev/urandom > $W/www/f
taskset -c 0 nginx -c "$D/nginx.conf" & NGINX=$!
sed s/PORT/8052/ "$D/porter.conf.tpl" > $W/a.conf; sed s/PORT/8053/ "$D/porter.conf.tpl" > $W/b.conf
taskset -c 0 java -jar "$A" run --config $W/a.conf > $W/a.log 2>&1 & PA=$!
taskset -c 0 java -jar "$B" run --config $W/b.conf > $W/b.log 2>&1 & PB=$!
for p in 8052 8053; do for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$p/f && break; sleep 0.2; done; done
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
load() { # port count: count downloads, 4 at a time
  seq $2 | taskset -c 1 xargs -P 4 -I{} curl -s -o /dev/null -w '%{size_download}\n' http://127.0.0.1:$1/f | awk '$1 != 8388608 {bad++} END {print bad+0}'; }
for p in 8052 8053; do load $p 200 > /dev/null; done   # warm-up
for r in $(seq $R); do
  order="A B"; [ $((r % 2)) = 0 ] && order="B A"
  for x in $order; do
    if [ $x = A ]; then p=8052; pid=$PA; else p=8053; pid=$PB; fi
    c0=$(cpu $pid); t0=$(date +%s.%N); bad=$(load $p 400); t1=$(date +%s.%N); c1=$(cpu $pid)
    python3 -c "print('r$r $x downloads/s=%.0f cpu_ms_per_download=%.3f short=$bad' % (400/($t1-$t0), ($c1-$c0)*10/400))"
  done
done
kill $PA $PB $NGINX; wait 2>/dev/null

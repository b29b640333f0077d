#!/bin/bash
# sc-nc.sh: system calls per connection with a new client connection per request (ab -c 20, no keep-alive):
# Porter (workers=1) and nginx (1 worker, the bench's proxy settings) in front of one static nginx origin, all
# on CPU 0, ab on CPU 1; 15 s of warm-up each, then strace -c -f over 6 s of load.
set -u
D=/tmp/pnc/scnc; rm -rf $D; mkdir -p $D
S=$(cd $(dirname $0); pwd)
read OP PP AP NP < <(python3 $S/freeport.py 4)
sed "s/ORIGIN_PORT/$OP/;s#/tmp/ab/#$D/#" $S/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/;s/keepalive = 512/keepalive = 1024/" $S/porter.conf.tpl > $D/p.conf
sed "s/ORIGIN_PORT/$OP/;s/PROXY_PORT/$NP/;s#DIR#$D#" $S/proxy-nginx.conf.tpl > $D/n.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
taskset -c 0 nginx -c $D/n.conf -p $D > /dev/null 2>&1 & PX=$!
taskset -c 0 ${WT:-/work/main}/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
sleep 1; NW=$(pgrep -P $PX | head -1)   # nginx's worker process
for t in porter:$P:$PP nginx:$NW:$NP; do
  IFS=: read name pid port <<< "$t"
  taskset -c 1 ab -q -c 20 -t 15 -n 10000000 http://127.0.0.1:$port/ > /dev/null 2>&1
  timeout 30 strace -c -f -p $pid -o $D/$name.strace & ST=$!
  sleep 1
  taskset -c 1 ab -q -c 20 -t 6 -n 10000000 http://127.0.0.1:$port/ > $D/$name.ab 2>&1
  kill -INT $ST; wait $ST 2>/dev/null
  N=$(awk '/Complete requests/{print $3}' $D/$name.ab)
  echo "$name: $N connections"
  awk -v n=$N 'NR>2 && $NF!="total" && $4+0>0 {printf "  %-14s %8.3f per connection\n", $NF, $4/n}' $D/$name.strace | sort -k2 -rn | head -14
done
kill $P; wait $P 2>/dev/null; kill $PX $NGX; wait $PX $NGX 2>/dev/null

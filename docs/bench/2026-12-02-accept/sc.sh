#!/bin/bash
# sc.sh CONC: syscalls per request at CONC (strace -c -f over 8 s of wrk, after 20 s of warm-up) and upstream connections opened (/status)
set -u
C=$1; D=/tmp/pnc/sc$C; rm -rf $D; mkdir -p $D
read OP PP AP < <(python3 $(dirname $0)/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/;s#/tmp/ab/#$D/#" $(dirname $0)/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/;s/keepalive = 512/keepalive = 1024/" $(dirname $0)/porter.conf.tpl > $D/p.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
taskset -c 0 /work/main/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
taskset -c 1 wrk -t1 -c$C -d20s http://127.0.0.1:$PP/ > /dev/null 2>&1
o0=$(curl -s http://127.0.0.1:$AP/status | python3 -c "import json,sys; d=json.load(sys.stdin); print(json.dumps(d)[:0] or sum(1 for _ in [0]))" 2>/dev/null)
curl -s http://127.0.0.1:$AP/status > $D/s0.json
timeout 20 strace -c -f -p $P -o $D/strace.txt & ST=$!
sleep 1
taskset -c 1 wrk -t1 -c$C -d8s http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1
kill -INT $ST; wait $ST 2>/dev/null
curl -s http://127.0.0.1:$AP/status > $D/s1.json
kill $P; wait $P 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null
N=$(awk '/requests in/{print $1}' $D/wrk.txt)
echo "c=$C requests=$N"
awk -v n=$N 'NR>2 && $NF!="total" && $4+0>0 {printf "  %-14s %8.3f per request\n", $NF, $4/n}' $D/strace.txt | sort -k2 -rn | head -12

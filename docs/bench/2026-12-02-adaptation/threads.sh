#!/bin/bash
# threads.sh CONC: Porter (workers=1) + static nginx origin on CPU 0, wrk on CPU 1; 30 s warm-up, then the CPU
# each of Porter's threads used over 20 s of load (user/sys jiffies from /proc/PID/task/*/stat), and wrk's latency.
set -u
C=$1; D=/tmp/pnc/threads; rm -rf $D; mkdir -p $D
S=$(cd $(dirname $0); pwd)
read OP PP AP < <(python3 $S/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/;s#/tmp/ab/#$D/#" $S/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/;s/keepalive = 512/keepalive = 1024/" ${PTPL:-$S/porter.conf.tpl} > $D/p.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
PORTER_JAVA_OPTS="${JOPTS:-}" taskset -c 0 /work/main/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
taskset -c 1 wrk -t1 -c$C -d30s http://127.0.0.1:$PP/ > /dev/null 2>&1
snap() { for t in /proc/$P/task/*; do echo "$(cat $t/comm | tr ' ' _)/${t##*/} $(awk '{print $14, $15}' $t/stat)"; done | sort; }
snap > $D/t0; taskset -c 1 wrk -t1 -c$C -d20s --latency http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1; snap > $D/t1
n=$(awk '/requests in/{print $1}' $D/wrk.txt)
join $D/t0 $D/t1 | awk -v n=$n '{u=$4-$2; s=$5-$3; if (u+s>0) printf "%-28s user %5d sys %5d jiffies  %.2f us/req\n", $1, u, s, (u+s)*10000/n}'
grep -A5 "Latency Distribution" $D/wrk.txt; grep "Requests/sec" $D/wrk.txt
kill $P; wait $P 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null

#!/bin/bash
# gclog.sh CONC "JAVA_OPTS": Porter (workers=1) + static nginx origin on CPU 0, wrk on CPU 1; 40 s at CONC,
# then 20 s at CONC with -Xlog:gc: the young collections' count, pause times and heap sizes under load.
set -u
C=$1; D=/tmp/pnc/gclog
JOPTS="-Xlog:gc:file=$D/gc.log:uptimemillis ${2:-}"
. "$(dirname "$0")/start.sh"
taskset -c 1 wrk -t1 -c$C -d40s http://127.0.0.1:$PP/ > /dev/null 2>&1
t0=$(awk 'END{gsub(/[\[\]ms]/,"",$1); print $1}' $D/gc.log); c0=$(awk '{print $14+$15}' /proc/$P/stat)
taskset -c 1 wrk -t1 -c$C -d20s --latency http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1
c1=$(awk '{print $14+$15}' /proc/$P/stat); n=$(awk '/requests in/{print $1}' $D/wrk.txt)
grep "Pause Young" $D/gc.log | awk -v t0=$t0 '{u=$1; gsub(/[\[\]ms]/,"",u); if (u+0>t0+0) print}' > $D/young.txt
echo "c=$C opts='${2:-}': $(awk '/Requests\/sec/{print $2}' $D/wrk.txt) req/s, p50 $(awk '$1=="50%"{print $2}' $D/wrk.txt) p99 $(awk '$1=="99%"{print $2}' $D/wrk.txt), porter $(python3 -c "print(round(($c1-$c0)*10000/$n,1))") us/req"
echo "young collections in the 20 s: $(wc -l < $D/young.txt), pauses ms: $(awk '{print $NF}' $D/young.txt | sed 's/ms//' | sort -n | awk '{a[NR]=$1; s+=$1} END{print "median", a[int(NR/2)+1], "max", a[NR], "sum", s}')"
tail -2 $D/young.txt
stop_all

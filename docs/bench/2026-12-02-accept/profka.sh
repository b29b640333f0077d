#!/bin/bash
# profka.sh LABEL CONC: Porter (bin/porter, workers=1, keepalive 1024) + static nginx origin on CPU 0, wrk -t1 -cCONC on CPU 1; 30 s warm, JFR over 20 s
set -u
L=$1; C=$2; D=/tmp/pnc/$L; rm -rf $D; mkdir -p $D
read OP PP AP < <(python3 $(dirname $0)/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/;s#/tmp/ab/#$D/#" $(dirname $0)/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/;s/keepalive = 512/keepalive = 1024/" $(dirname $0)/porter.conf.tpl > $D/p.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
PORTER_JAVA_OPTS="-XX:+FlightRecorder" taskset -c 0 ${WT:-/work/main}/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
taskset -c 1 wrk -t1 -c$C -d30s http://127.0.0.1:$PP/ > /dev/null 2>&1
jcmd $P JFR.start name=p settings=$(dirname $0)/porter-profile.jfc duration=21s filename=$D/p.jfr > /dev/null
sleep 0.5
c0=$(awk '{print $14+$15}' /proc/$P/stat)
taskset -c 1 wrk -t1 -c$C -d20s http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1
c1=$(awk '{print $14+$15}' /proc/$P/stat)
sleep 2
kill $P; wait $P 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null
N=$(awk '/requests in/{print $1}' $D/wrk.txt)
echo "$L c=$C requests $N cpu_us_per_req $(python3 -c "print(round(($c1-$c0)*10000/$N,2))")"
python3 $(dirname $0)/jfrtop.py $D/p.jfr $N > $D/profile.txt

#!/bin/bash
# profnc.sh LABEL: Porter (bin/porter, workers=1) + static nginx origin on CPU 0, ab -c20 without keep-alive on CPU 1; 20 s warm, JFR over 20 s
set -u
L=$1; D=/tmp/pnc/$L; rm -rf $D; mkdir -p $D
read OP PP AP < <(python3 $(dirname $0)/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/;s#/tmp/ab/#$D/#" $(dirname $0)/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/" $(dirname $0)/porter.conf.tpl > $D/p.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
PORTER_JAVA_OPTS="-XX:+FlightRecorder" taskset -c 0 ${WT:-/work/main}/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
PJ=$(pgrep -P $P java || echo $P)
taskset -c 1 ab -q -c 20 -t 20 -n 10000000 http://127.0.0.1:$PP/ > /dev/null 2>&1
jcmd $PJ JFR.start name=p settings=$(dirname $0)/porter-profile.jfc duration=21s filename=$D/p.jfr > /dev/null
sleep 0.5
taskset -c 1 ab -q -c 20 -t 20 -n 10000000 http://127.0.0.1:$PP/ > $D/ab.txt 2>&1
sleep 2
kill $P; wait $P 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null
N=$(awk '/Complete requests/{print $3}' $D/ab.txt)
python3 $(dirname $0)/jfrtop.py $D/p.jfr $N > $D/profile.txt
grep -E "Requests per second" $D/ab.txt; head -70 $D/profile.txt

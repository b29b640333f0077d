#!/bin/bash
# prof.sh LABEL ka|nc CONC: Porter (bin/porter, workers=1, upstream keepalive 1024) + a static nginx origin on CPU 0,
# load on CPU 1: wrk -cCONC (ka) or ab -c CONC without keep-alive (nc); 30 s warm-up, JFR over 20 s of load, then
# CPU per request from /proc and the profile summary (jfrtop.py of docs/bench/2026-12-02-request-path/scripts).
set -u
L=$1; M=$2; C=$3; D=/tmp/pnc/$L; rm -rf $D; mkdir -p $D
S=$(dirname $0)/../2026-12-02-request-path/scripts
read OP PP AP < <(python3 $(dirname $0)/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/;s#/tmp/ab/#$D/#" $(dirname $0)/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/;s/keepalive = 512/keepalive = 1024/" $(dirname $0)/porter.conf.tpl > $D/p.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
PORTER_JAVA_OPTS="-XX:+FlightRecorder ${JOPTS:-}" taskset -c 0 ${WT:-/work/main}/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
load() { # seconds output
  if [ $M = nc ]; then taskset -c 1 ab -q -c $C -t $1 -n 10000000 http://127.0.0.1:$PP/ > $2 2>&1
  else taskset -c 1 wrk -t1 -c$C -d$1s http://127.0.0.1:$PP/ > $2 2>&1; fi; }
load 30 /dev/null
jcmd $P JFR.start name=p settings=$S/porter-profile.jfc duration=21s filename=$D/p.jfr > /dev/null
sleep 0.5
c0=$(awk '{print $14+$15}' /proc/$P/stat)
load 20 $D/load.txt
c1=$(awk '{print $14+$15}' /proc/$P/stat)
sleep 2
kill $P; wait $P 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null
N=$(awk '/requests in/{print $1} /Complete requests/{print $3}' $D/load.txt)
echo "$L $M c=$C requests $N cpu_us_per_req $(python3 -c "print(round(($c1-$c0)*10000/$N,2))")"
python3 $S/jfrtop.py $D/p.jfr $N > $D/profile.txt

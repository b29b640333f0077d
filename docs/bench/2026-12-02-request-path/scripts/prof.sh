#!/bin/bash
# prof.sh JAR LABEL: Porter (workers=1) and a static nginx origin on CPU 0, wrk -t1 -c50 on CPU 1.
# 30 s warm-up, then JFR (profile settings) and strace -c over 20 s of wrk each. Stops what it starts, by PID.
set -u
JAR=$1; LABEL=$2
OUT=${RP:-/tmp/rp-m}/$LABEL; mkdir -p $OUT
read OP PP AP < <(python3 ${RP:-/tmp/rp-m}/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/" ${RP:-/tmp/rp-m}/origin.conf.tpl > $OUT/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/" ${RP:-/tmp/rp-m}/porter.conf.tpl > $OUT/porter.conf
taskset -c 0 nginx -c $OUT/origin.conf -p $OUT > /dev/null 2>&1 & NGX=$!
taskset -c 0 java -Xms256m -Xmx512m -XX:+UseParallelGC -XX:+FlightRecorder -jar $JAR run --config $OUT/porter.conf > $OUT/porter.log 2>&1 & PJ=$!
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
taskset -c 1 wrk -t1 -c50 -d30s http://127.0.0.1:$PP/ > $OUT/wrk-warm.txt
jcmd $PJ JFR.start name=p settings=${RP:-/tmp/rp-m}/porter-profile.jfc duration=22s filename=$OUT/porter.jfr > /dev/null
sleep 1
taskset -c 1 wrk -t1 -c50 -d20s http://127.0.0.1:$PP/ > $OUT/wrk-jfr.txt
sleep 3
# syscalls per request: strace -c on every thread over a run of its own
timeout 30 strace -c -f -p $PJ -o $OUT/strace.txt & ST=$!
sleep 1
taskset -c 1 wrk -t1 -c50 -d10s http://127.0.0.1:$PP/ > $OUT/wrk-strace.txt
kill -INT $ST; wait $ST 2>/dev/null
kill $PJ; wait $PJ 2>/dev/null
kill $NGX; wait $NGX 2>/dev/null
grep -E "Requests/sec|Latency" $OUT/wrk-warm.txt $OUT/wrk-jfr.txt $OUT/wrk-strace.txt
jfr summary $OUT/porter.jfr > $OUT/jfr-summary.txt
python3 ${RP:-/tmp/rp-m}/jfrtop.py $OUT/porter.jfr $(awk "/requests in/{print \$1}" $OUT/wrk-jfr.txt) > $OUT/profile.txt
head -60 $OUT/profile.txt

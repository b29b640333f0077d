#!/bin/bash
# rss.sh JAR LABEL: Porter (workers=1) before a static nginx origin under wrk -c200 for 20 s; RSS and peak RSS.
set -u
JAR=$1; LABEL=$2; OUT=${RP:-/tmp/rp-m}/$LABEL; mkdir -p $OUT
read OP PP AP < <(python3 ${RP:-/tmp/rp-m}/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/" ${RP:-/tmp/rp-m}/origin.conf.tpl > $OUT/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/" ${RP:-/tmp/rp-m}/porter.conf.tpl > $OUT/porter.conf
taskset -c 0 nginx -c $OUT/origin.conf -p $OUT > /dev/null 2>&1 & NGX=$!
taskset -c 0 java -Xms256m -Xmx512m -XX:+UseParallelGC -jar $JAR run --config $OUT/porter.conf > $OUT/porter.log 2>&1 & PJ=$!
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
echo "start: $(grep -E 'VmRSS' /proc/$PJ/status)"
taskset -c 1 wrk -t1 -c200 -d20s http://127.0.0.1:$PP/ | grep -E "requests in|Requests/sec"
grep -E 'VmHWM|VmRSS' /proc/$PJ/status | tr '\n' ' '; echo
jstat -gc $PJ | tail -1
kill $PJ; wait $PJ 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null

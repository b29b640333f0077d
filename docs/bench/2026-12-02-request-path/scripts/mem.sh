#!/bin/bash
# mem.sh JAR LABEL [N]: Porter (workers=1) in front of a static nginx origin; heap histogram and RSS
# with 0 and with N idle keep-alive client connections (one request each). Stops what it starts, by PID.
set -u
JAR=$1; LABEL=$2; N=${3:-10000}
OUT=${RP:-/tmp/rp-m}/$LABEL; mkdir -p $OUT
read OP PP AP < <(python3 ${RP:-/tmp/rp-m}/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/" ${RP:-/tmp/rp-m}/origin.conf.tpl > $OUT/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/" ${RP:-/tmp/rp-m}/porter.conf.tpl > $OUT/porter.conf
nginx -c $OUT/origin.conf -p $OUT > /dev/null 2>&1 & NGX=$!
java ${NMT:+-XX:NativeMemoryTracking=summary} -Xms256m -Xmx512m -XX:+UseParallelGC ${PORTER_JVM:-} -jar $JAR run --config $OUT/porter.conf > $OUT/porter.log 2>&1 & PJ=$!
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
for i in $(seq 200); do curl -s -o /dev/null http://127.0.0.1:$PP/; done
sleep 1
if [ -n "${WARM:-}" ]; then
  # One cycle of N connections first, so that the heap's pages the connections touch are already
  # resident: the second cycle's RSS growth is then what the connections keep, not first touches.
  touch $OUT/hold; rm -f $OUT/hold.ready
  python3 ${RP:-/tmp/rp-m}/idle.py 127.0.0.1 $PP $N $OUT/hold > $OUT/idle-warm.log 2>&1 & IDW=$!
  for i in $(seq 600); do [ -f $OUT/hold.ready ] && break; sleep 0.5; done
  rm -f $OUT/hold; wait $IDW; sleep 3
fi
jmap -histo:live $PJ > $OUT/histo-0.txt
cp /proc/$PJ/smaps_rollup $OUT/smaps-0.txt 2>/dev/null
RSS0=$(awk '/VmRSS/{print $2}' /proc/$PJ/status)
[ -n "${NMT:-}" ] && jcmd $PJ VM.native_memory baseline > /dev/null
touch $OUT/hold; rm -f $OUT/hold.ready
python3 ${RP:-/tmp/rp-m}/idle.py 127.0.0.1 $PP $N $OUT/hold > $OUT/idle.log 2>&1 & IDL=$!
for i in $(seq 600); do [ -f $OUT/hold.ready ] && break; sleep 0.5; done
sleep 2
jmap -histo:live $PJ > $OUT/histo-$N.txt
RSS1=$(awk '/VmRSS/{print $2}' /proc/$PJ/status)
[ -n "${NMT:-}" ] && jcmd $PJ VM.native_memory summary.diff > $OUT/nmt-diff.txt
cp /proc/$PJ/smaps_rollup $OUT/smaps-$N.txt 2>/dev/null
# A second full GC and RSS reading, once the heap settled
sleep 2
RSS2=$(awk '/VmRSS/{print $2}' /proc/$PJ/status)
cat $OUT/idle.log
echo "RSS kB: 0 conns $RSS0, $N conns $RSS1 / $RSS2; per conn $(( (RSS1-RSS0)*1024/N )) bytes"
python3 ${RP:-/tmp/rp-m}/histdiff.py $OUT/histo-0.txt $OUT/histo-$N.txt $N 40 | tee $OUT/histdiff.txt
rm -f $OUT/hold; wait $IDL
kill $PJ; wait $PJ 2>/dev/null
kill $NGX; wait $NGX 2>/dev/null

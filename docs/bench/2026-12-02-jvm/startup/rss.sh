#!/bin/bash
# usage: rss.sh LABEL N [env assignments...]; env PORTER_JAVA_OPTS / MALLOC_ARENA_MAX from caller
label=$1; n=$2
for i in $(seq 1 $n); do
  log=/tmp/st/log.$$.$i
  t0=$(date +%s%N)
  /work/wt-startup/bin/porter run --config /tmp/st/porter.conf > $log 2>&1 &
  pid=$!
  for j in $(seq 1 600); do grep -q 'listening on' $log && break; sleep 0.05; done
  t1=$(date +%s%N)
  sleep 5
  rss=$(awk '/^VmRSS/{print $2}' /proc/$pid/status)
  anon=$(awk '/^RssAnon/{print $2}' /proc/$pid/status)
  file=$(awk '/^RssFile/{print $2}' /proc/$pid/status)
  ticks=$(awk '{print $14+$15}' /proc/$pid/stat)
  if [ -n "$KEEP" ]; then echo "pid $pid kept"; else kill $pid; wait $pid 2>/dev/null; fi
  echo "$label run$i: listen $(( (t1-t0)/1000000 )) ms rss ${rss} anon ${anon} file ${file} kB cpu ${ticks} ticks"
done

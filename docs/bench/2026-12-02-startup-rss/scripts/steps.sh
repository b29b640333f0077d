#!/bin/bash
# Interleaved: each round starts every variant once (bin/porter run --config conf/porter.conf of
# that tree, the way the README says), waits 15 s idle, reads /proc/<pid>/status and smaps.
out=${OUT:-/tmp/lazy/steps.tsv}
variants="/tmp/lazy/base /tmp/lazy/step-908f19e /tmp/lazy/step-827efb2 /tmp/lazy/step-fe71fa5 /tmp/lazy/step-719ea56 /tmp/lazy/step-54aff69"
for round in $(seq 1 ${ROUNDS:-3}); do
  for v in $variants; do
    cd $v
    PORTER_JAVA_OPTS="${EXTRA:-}" bin/porter run --config conf/porter.conf > /tmp/lazy/steps.log 2>&1 &
    pid=$!
    sleep 15
    grep -q "listening on" /tmp/lazy/steps.log || { echo "$v did not start"; cat /tmp/lazy/steps.log; }
    rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status); anon=$(awk '/RssAnon/{print $2}' /proc/$pid/status); file=$(awk '/RssFile/{print $2}' /proc/$pid/status)
    jsa=$(python3 -c "
import re,sys
t=0;cur=False
for l in open('/proc/$pid/smaps'):
    m=re.match(r'^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$',l)
    if m: cur=m.group(1).endswith('porter.jsa'); continue
    if cur and l.startswith('Rss:'): t+=int(l.split()[1])
print(t)")
    socks=$(cat /proc/net/tcp /proc/net/tcp6 | wc -l)
    printf "%s\t%d\t%s\t%s\t%s\t%s\t%s\n" $(basename $v) $round $rss $anon $file $jsa $socks | tee -a $out
    kill $pid; wait $pid 2>/dev/null
  done
done

#!/bin/bash
# usage: rss.sh LABEL [N]  -- WT, EXTRA as smaps.sh; starts Porter as the README says, waits 15 s, VmRSS + top mappings
cd ${WT:-/work/wt-lazy-start}
label=$1; n=${2:-3}
for i in $(seq 1 $n); do
  log=/tmp/lazy/$label.$i.log
  PORTER_JAVA_OPTS="${EXTRA:-}" bin/porter run --config ${CONF:-conf/porter.conf} > $log 2>&1 &
  pid=$!
  sleep 15
  if ! grep -q listening $log; then echo "NOT LISTENING"; cat $log; fi
  rss=$(grep VmRSS /proc/$pid/status | awk '{print $2}')
  python3 - $pid > /tmp/lazy/$label.$i.smaps <<'PY'
import sys,re,collections
pid=sys.argv[1]
agg=collections.Counter(); anon=collections.Counter()
name=None
for line in open(f'/proc/{pid}/smaps'):
    m=re.match(r'^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(.*)$',line)
    if m:
        name=m.group(4) or '[anon]'; continue
    if line.startswith('Rss:'): agg[name]+=int(line.split()[1])
    if line.startswith('Anonymous:'): anon[name]+=int(line.split()[1])
for n,v in agg.most_common(8): print(f'{v:8d} kB rss {anon[n]:8d} anon  {n}')
PY
  echo "$label run $i: VmRSS $rss kB = $((rss/1024)) MiB"
  kill $pid; wait $pid 2>/dev/null
done
cat /tmp/lazy/$label.$n.smaps

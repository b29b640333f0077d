#!/bin/bash
cd ${WT:-/work/wt-lazy-start}
for i in $(seq 1 ${1:-5}); do
PORTER_JAVA_OPTS="-Xlog:gc:file=/tmp/lazy/rg$i.txt ${EXTRA:-}" bin/porter run --config conf/porter.conf > /tmp/lazy/rg.log 2>&1 &
pid=$!
sleep 15
echo "run $i: $(grep -E 'VmRSS' /proc/$pid/status) anon $(grep RssAnon /proc/$pid/status | awk '{print $2}') gcs $(grep -c Pause /tmp/lazy/rg$i.txt) full $(grep -c 'Pause Full' /tmp/lazy/rg$i.txt) heap $(grep Pause /tmp/lazy/rg$i.txt | tail -1 | sed -E 's/.*\) (.*) [0-9.]+ms/\1/') tcp $(cat /proc/net/tcp /proc/net/tcp6 | wc -l)"
kill $pid; wait $pid 2>/dev/null
done

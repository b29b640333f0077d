#!/bin/bash
# opt.sh "OPTS" N: final build, RSS at 20 s with extra options
cd ${WT:-/tmp/lazy/step-54aff69}
for i in $(seq 1 ${2:-3}); do
  PORTER_JAVA_OPTS="$1 -Xlog:gc:file=/tmp/lazy/opt.gc" bin/porter run --config conf/porter.conf > /tmp/lazy/opt.log 2>&1 &
  pid=$!
  sleep 20
  grep -q listening /tmp/lazy/opt.log || cat /tmp/lazy/opt.log
  echo "'$1' $(grep VmRSS /proc/$pid/status) gcs $(grep -c Pause /tmp/lazy/opt.gc) $(grep Pause /tmp/lazy/opt.gc | tail -1 | sed -E 's/.*\) (.*) [0-9.]+ms/\1/')"
  kill $pid; wait $pid 2>/dev/null
done

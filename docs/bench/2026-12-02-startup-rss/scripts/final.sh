#!/bin/bash
# base / final / final with ArchiveRelocationMode=0: RSS at 15 s and 30 s of the same process
out=/tmp/lazy/final.tsv
for round in 1 2 3; do
  for spec in "base|" "step-54aff69|" "step-54aff69|-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"; do
    v=${spec%%|*}; opts=${spec#*|}
    cd /tmp/lazy/$v
    PORTER_JAVA_OPTS="$opts" bin/porter run --config conf/porter.conf > /tmp/lazy/final.log 2>&1 &
    pid=$!
    sleep 15
    r15=$(awk '/VmRSS/{print $2}' /proc/$pid/status); a15=$(awk '/RssAnon/{print $2}' /proc/$pid/status)
    sleep 15
    r30=$(awk '/VmRSS/{print $2}' /proc/$pid/status); a30=$(awk '/RssAnon/{print $2}' /proc/$pid/status)
    printf "%s%s\t%d\t%s\t%s\t%s\t%s\n" $v "${opts:+ reloc0}" $round $r15 $a15 $r30 $a30 | tee -a $out
    kill $pid; wait $pid 2>/dev/null
  done
done

#!/bin/bash
# usage: wu.sh LABEL N "flags"
label=$1; n=$2; flags=$3; s=${4:-1}
[ "$label" = base ] && OPTSFILE=/tmp/st/base.options && flags=""
cd /work/wt-startup
for i in $(seq $s $((s+n-1))); do
  out=/tmp/st/wu-$label-$i
  if [ -n "$flags" ]; then
    java -jar proxy-bench/target/porter-bench.jar warmup --concurrency 50 --duration 60s --pin --workers 1 --peers none ${OPTSFILE:+--porter-jvm-options $OPTSFILE} --json $out.json --porter-jvm-flags="$flags" > $out.log 2>&1
  else
    java -jar proxy-bench/target/porter-bench.jar warmup --concurrency 50 --duration 60s --pin --workers 1 --peers none ${OPTSFILE:+--porter-jvm-options $OPTSFILE} --json $out.json > $out.log 2>&1
  fi
  echo "$label $i rc=$?"; tail -15 $out.log
done

#!/bin/bash
# usage: tp.sh LABEL N OPTIONSFILE [ENV=...]
label=$1; n=$2; opts=$3; shift 3
cd /work/wt-startup
for i in $(seq 1 $n); do
  out=/tmp/st/tp-$label-$i
  env "$@" java -jar proxy-bench/target/porter-bench.jar throughput --origin static --concurrency 50 --pin --workers 1 --peers none --porter-warmup 30s --porter-jvm-options $opts --json $out.json > $out.log 2>&1
  echo "$label $i rc=$?"
done

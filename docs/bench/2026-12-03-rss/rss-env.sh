#!/bin/bash
# RSS 20 s after an idle start, as the README starts Porter (bin/porter run, conf/jvm.options, the
# CDS archive, conf/porter.conf's settings on free ports), for each environment given ("" = as
# shipped; e.g. "MALLOC_ARENA_MAX=2", or "PORTER_JAVA_OPTS=-Xss256k"), interleaved, R rounds.
# Usage: rss-env.sh ROUNDS "" "MALLOC_ARENA_MAX=2" ...
set -u
cd "$(dirname "$0")/../../.."
R=$1; shift
D=/tmp/rss-env; rm -rf $D; mkdir -p $D
for r in $(seq "$R"); do
  i=0
  for envs in "$@"; do
    i=$((i + 1))
    read PP AP < <(python3 docs/bench/2026-12-02-adaptation/freeport.py 2)
    sed "s/127.0.0.1:8000/127.0.0.1:$PP/;s/127.0.0.1:9901/127.0.0.1:$AP/" conf/porter.conf > $D/p.conf
    env $envs bin/porter run --config $D/p.conf > $D/$i.log 2>&1 & P=$!
    sleep 20
    echo "round $r [$envs] VmRSS $(awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$P/status) MiB," \
      "RssAnon $(awk '/RssAnon/{printf "%.1f", $2/1024}' /proc/$P/status) MiB, threads $(ls /proc/$P/task | wc -l)"
    kill $P; wait $P 2>/dev/null
  done
done

#!/bin/bash
# rss-ab.sh ROUNDS TREE...: RSS 20 s after an idle start of each tree's bin/porter (conf/porter.conf on free
# ports), interleaved. Each TREE is a checkout built with `mvn -B -o -q -DskipTests package` (porter.jar and
# the porter.jsa its own training run made).
R=$1; shift
for r in $(seq $R); do
  for T in "$@"; do
    cd $T
    read PP AP < <(python3 /work/main/docs/bench/2026-12-02-adaptation/freeport.py 2)
    sed "s/127.0.0.1:8000/127.0.0.1:$PP/;s/127.0.0.1:9901/127.0.0.1:$AP/" conf/porter.conf > /tmp/rssab/p.conf
    bin/porter run --config /tmp/rssab/p.conf > /tmp/rssab/log 2>&1 & P=$!
    sleep 20
    echo "round $r $T VmRSS $(awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$P/status) RssAnon $(awk '/RssAnon/{printf "%.1f", $2/1024}' /proc/$P/status) threads $(ls /proc/$P/task | wc -l)"
    kill $P; wait $P 2>/dev/null
  done
done

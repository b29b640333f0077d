#!/bin/bash
# rss-ab.sh ROUNDS TREE...: RSS 20 s after an idle start of each tree's bin/porter (conf/porter.conf on free
# ports), interleaved. Each TREE is a checkout built with `mvn -B -o -q -DskipTests package` (porter.jar and
# the porter.jsa its own training run made). SCRAPE=1: then also the first GET /metrics (its time), the RSS
# 15 s after it, and a second GET /metrics.
R=$1; shift
W=/tmp/rssab; mkdir -p $W
rss() { awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$1/status; }
for r in $(seq $R); do
  for T in "$@"; do
    cd $T
    read PP AP < <(python3 /work/main/docs/bench/2026-12-02-adaptation/freeport.py 2)
    sed "s/127.0.0.1:8000/127.0.0.1:$PP/;s/127.0.0.1:9901/127.0.0.1:$AP/" conf/porter.conf > $W/p.conf
    bin/porter run --config $W/p.conf > $W/log 2>&1 & P=$!
    sleep 20
    if [ -z "${SCRAPE:-}" ]; then
      echo "round $r $T VmRSS $(rss $P) RssAnon $(awk '/RssAnon/{printf "%.1f", $2/1024}' /proc/$P/status) threads $(ls /proc/$P/task | wc -l)"
    else
      a=$(rss $P)
      t1=$(curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:$AP/metrics)
      sleep 15
      b=$(rss $P)
      t2=$(curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:$AP/metrics)
      echo "round $r $T idle $a MiB; first /metrics ${t1}s; RSS 15 s after it $b MiB; second /metrics ${t2}s"
    fi
    kill $P; wait $P 2>/dev/null
  done
done

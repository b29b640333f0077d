#!/bin/bash
# RSS and the Java heap 20 s after an idle start, as the README starts Porter (bin/porter run,
# conf/jvm.options, the CDS archive, conf/porter.conf's settings on free ports), for each set of
# extra JVM flags given (PORTER_JAVA_OPTS; "" = as shipped), interleaved, R rounds.
# Usage: rss.sh ROUNDS "" "-XX:MinHeapFreeRatio=20" ...
set -u
cd "$(dirname "$0")/../../.."
R=$1; shift
D=/tmp/heap-at-start; rm -rf $D; mkdir -p $D
for r in $(seq "$R"); do
  i=0
  for flags in "$@"; do
    i=$((i + 1))
    read PP AP < <(python3 docs/bench/2026-12-02-adaptation/freeport.py 2)
    sed "s/127.0.0.1:8000/127.0.0.1:$PP/;s/127.0.0.1:9901/127.0.0.1:$AP/" conf/porter.conf > $D/p.conf
    PORTER_JAVA_OPTS="$flags" bin/porter run --config $D/p.conf > $D/$i.log 2>&1 & P=$!
    sleep 20
    heap=$(jcmd $P GC.heap_info | awk '/new generation|tenured generation/ { gsub("K,", "", $4); s += $4 } END { printf "%.1f", s / 1024 }')
    echo "round $r [$flags] $(grep -o '([0-9]* workers, [a-z_]*' $D/$i.log)" \
      "VmRSS $(awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$P/status) MiB," \
      "RssAnon $(awk '/RssAnon/{printf "%.1f", $2/1024}' /proc/$P/status) MiB, heap committed $heap MiB"
    kill $P; wait $P 2>/dev/null
  done
done

#!/bin/bash
# rss-start.sh: RSS 15 s after an idle start, as the README starts Porter (bin/porter run, conf/jvm.options, the CDS
# archive) with conf/porter.conf's settings, transport = io_uring against epoll, three interleaved starts each.
set -u
cd "$(dirname "$0")/../../.."
D=/tmp/pnc/rss; rm -rf $D; mkdir -p $D
for r in 1 2 3; do for t in io_uring epoll; do
  read PP AP < <(python3 docs/bench/2026-12-02-adaptation/freeport.py 2)
  sed "s/127.0.0.1:8000/127.0.0.1:$PP/;s/127.0.0.1:9901/127.0.0.1:$AP/" conf/porter.conf > $D/p.conf
  printf 'porter.transport = %s\n' $t >> $D/p.conf
  bin/porter run --config $D/p.conf > $D/$t.log 2>&1 & P=$!
  sleep 15
  echo "round $r $t: $(grep -o '([0-9]* workers, [a-z_]*' $D/$t.log) VmRSS $(awk '/VmRSS/{printf "%.1f MiB", $2/1024}' /proc/$P/status)"
  kill $P; wait $P 2>/dev/null
done; done

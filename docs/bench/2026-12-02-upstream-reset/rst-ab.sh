#!/bin/bash
# rst-ab.sh: Porter (1 worker, io_uring, rst.conf) in front of rst.py's upstream, which answers
# every request with a head and 1,000 of 100,000 promised bytes and then resets the connection.
# 40 requests per start; "slow" counts requests whose client connection was neither closed nor
# reset within 5 s, i.e. Porter never noticed the reset. Fresh starts, with Netty's multishot
# poll requests (its default before this change) and without (Porter's default now), twice each.
cd "$(dirname "$0")/../../.."
D=docs/bench/2026-12-02-upstream-reset
for f in "-Dio.netty.iouring.pollAddMultishotEnabled=true" "" "-Dio.netty.iouring.pollAddMultishotEnabled=true" ""; do
  PORTER_JAVA_OPTS="$f" bin/porter run --config $D/rst.conf > /tmp/rst-porter.log 2>&1 & P=$!
  sleep 3
  echo "[$f]: $(timeout 300 python3 $D/rst.py 40 | tail -1)"
  kill $P; wait $P 2>/dev/null
done

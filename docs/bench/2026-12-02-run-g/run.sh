#!/bin/bash
# Run G: run F's table again at the stop's final code (io_uring without Netty's multishot polls, the
# dropped rest of an early-answered body). Same command as ../2026-12-02-run-f/run.sh's first.
set -eu
cd "$(dirname "$0")/../../.."
O=docs/bench/2026-12-02-run-g
java -jar proxy-bench/target/porter-bench.jar throughput --origin static --peers nginx,haproxy \
    --concurrency 50,200,1000 --pin --workers 1 --porter-warmup 60s --rounds 2 \
    --json $O/throughput.json > $O/throughput.txt 2>&1

#!/bin/bash
# Run H: run G's table again after the pending ACK for a head whose body is still to come
# (a branch at the end of every read on both legs). Same command as ../2026-12-02-run-g/run.sh.
set -eu
cd "$(dirname "$0")/../../.."
O=docs/bench/2026-12-02-run-h
java -jar proxy-bench/target/porter-bench.jar throughput --origin static --peers nginx,haproxy \
    --concurrency 50,200,1000 --pin --workers 1 --porter-warmup 60s --rounds 2 \
    --json $O/throughput.json > $O/throughput.txt 2>&1

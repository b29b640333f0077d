#!/bin/bash
# Run I: run H's table with the issue's own 90 s of warm-up and three rounds, to see how much of
# run H's change against run G was the rounds' spread (this session's machine runs nginx and the
# origin ~30% cheaper per request than run G's did).
set -eu
cd "$(dirname "$0")/../../.."
O=docs/bench/2026-12-02-run-i
java -jar proxy-bench/target/porter-bench.jar throughput --origin static --peers nginx,haproxy \
    --concurrency 50,200,1000 --pin --workers 1 --porter-warmup 90s --rounds 3 \
    --json $O/throughput.json > $O/throughput.txt 2>&1

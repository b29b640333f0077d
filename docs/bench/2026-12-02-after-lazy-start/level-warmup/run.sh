#!/bin/bash
# Run C's throughput at 50 and 200 connections again with --level-warmup 5s: every target gets 5 s at 200 before its first round there.
set -u
cd /work/main
out=docs/bench/2026-12-02-after-lazy-start/level-warmup
java -jar proxy-bench/target/porter-bench.jar throughput --origin static --peers nginx,haproxy --concurrency 50,200 --pin --workers 1 \
   --porter-warmup 90s --warmup 10s --level-warmup 5s --rounds 2 --duration 10s --json $out/throughput.json 2>&1 | tee $out/throughput.txt

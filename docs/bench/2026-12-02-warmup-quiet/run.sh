#!/bin/bash
# Goal 4 (>= 80% of steady state within 10 s of start), Porter on io_uring, one pinned worker,
# repeated on a quiet machine: N runs of porter-bench warmup, 60 s each, one after the other.
# Usage: docs/bench/2026-12-02-warmup-quiet/run.sh [N] [extra JVM flags]
set -eu
cd "$(dirname "$0")/../../.."
N=${1:-6}
FLAGS=${2:-}
O=docs/bench/2026-12-02-warmup-quiet
for i in $(seq "$N"); do
    java -jar proxy-bench/target/porter-bench.jar warmup --concurrency 50 --duration 60s --pin --workers 1 \
        ${FLAGS:+--porter-jvm-flags "$FLAGS"} > "$O/run$i${FLAGS:+-flags}.txt" 2>&1
    grep -E "^machine|^first second|steady state [0-9]" "$O/run$i${FLAGS:+-flags}.txt"
done

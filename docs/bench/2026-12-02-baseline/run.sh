#!/bin/bash
# The baseline runs of 2026-12-02, in the order they were made (from the repository root, after
# `mvn -B -q -DskipTests package`). Each writes its console output (.txt) and JSON here.
set -u
D=docs/bench/2026-12-02-baseline
B="java -jar proxy-bench/target/porter-bench.jar"
run() { name=$1; shift; echo "== $(date -u +%H:%M:%S) $name: $*"; cat /proc/loadavg; "$@" --json $D/$name.json > $D/$name.txt 2>&1; echo "exit $?"; }
run throughput-w1 $B throughput --origin static --peers nginx,haproxy --concurrency 50,200,1000 --pin --workers 1 \
    --rounds 3 --duration 10s --warmup 15s --porter-warmup 90s --report $D/charts-w1
run idle-connections $B idle-connections --count 10000 --peers nginx,haproxy --pin --workers 1
run warmup $B warmup --concurrency 50 --pin --workers 1 --duration 180s --steady-window 30 --report $D/charts-warmup
run new-connection-per-request $B throughput --new-connection-per-request --origin static --peers nginx,haproxy \
    --concurrency 20 --pin --workers 1 --rounds 3 --duration 10s --warmup 15s --porter-warmup 30s
run throughput-w2 $B throughput --origin static --peers nginx,haproxy --concurrency 50,200 --workers 2 \
    --rounds 3 --duration 10s --warmup 15s --porter-warmup 60s
echo "== $(date -u +%H:%M:%S) done"; cat /proc/loadavg
# Second sample of the two comparisons most exposed to the shared machine's load (run 01:30 UTC on):
run throughput-w1-run2 $B throughput --origin static --peers nginx,haproxy --concurrency 50,200,1000 --pin --workers 1 \
    --rounds 3 --duration 10s --warmup 15s --porter-warmup 90s
run new-connection-per-request-run2 $B throughput --new-connection-per-request --origin static --peers nginx,haproxy \
    --concurrency 20 --pin --workers 1 --rounds 3 --duration 10s --warmup 15s --porter-warmup 30s
run warmup-run2  warmup --concurrency 50 --pin --workers 1 --duration 180s --steady-window 30 --report $D/charts-warmup-run2

#!/bin/bash
# The TLS runs of 2026-12-02, in the order they were made (from the repository root, after
# `mvn -B -q -DskipTests package`). Each writes its console output (.txt) and JSON here.
set -u
D=docs/bench/2026-12-02-tls
B="java -jar proxy-bench/target/porter-bench.jar"
run() { name=$1; shift; "$@" --json $D/$name.json > $D/$name.txt 2>&1; echo "$name: exit $?"; }
# first pass, as the example: 10 s warm-up for every proxy (Porter's JIT still warming in round 1)
run keepalive-warmup10s $B throughput --tls --origin static --peers nginx,haproxy --concurrency 50,200 --pin --workers 1 \
    --duration 10s --warmup 10s
run new-connection-warmup10s $B throughput --tls --new-connection-per-request --origin static --peers nginx,haproxy \
    --concurrency 20 --pin --workers 1 --duration 10s --warmup 10s
# the runs the tables below come from: Porter warmed 60 s
run keepalive $B throughput --tls --origin static --peers nginx,haproxy --concurrency 50,200 --pin --workers 1 \
    --duration 10s --warmup 10s --porter-warmup 60s
run new-connection $B throughput --tls --new-connection-per-request --origin static --peers nginx,haproxy \
    --concurrency 20 --pin --workers 1 --duration 10s --warmup 10s --porter-warmup 60s
# the same without TLS, to separate a handshake's cost from a connection's
run new-connection-plain $B throughput --new-connection-per-request --origin static --peers nginx,haproxy \
    --concurrency 20 --pin --workers 1 --duration 10s --warmup 10s --porter-warmup 60s

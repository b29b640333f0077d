#!/bin/bash
# Run E: Porter on io_uring (transport = auto on this kernel) next to nginx and HAProxy, one worker each, pinned
# (proxies and origin on CPU 0, load on CPU 1), in one run per table; then memory per idle connection.
set -eu
cd "$(dirname "$0")/../../.."
B="java -jar proxy-bench/target/porter-bench.jar"
O=docs/bench/2026-12-02-io-uring
$B throughput --origin static --peers nginx,haproxy --concurrency 50,200,1000 --pin --workers 1 \
    --porter-warmup 60s --rounds 2 --json $O/throughput.json > $O/throughput.txt 2>&1
$B throughput --origin static --peers nginx,haproxy --new-connection-per-request --concurrency 20 --pin --workers 1 \
    --porter-warmup 30s --rounds 3 --json $O/new-connection.json > $O/new-connection.txt 2>&1
$B idle-connections --count 10000 --pin --workers 1 --peers nginx,haproxy --json $O/idle.json > $O/idle.txt 2>&1
# Two workers each, not pinned (proxies, origin and load share both cores), as runs A and C measured them.
$B throughput --origin static --peers nginx,haproxy --concurrency 50,200 --workers 2 \
    --porter-warmup 60s --rounds 2 --json $O/throughput-2workers.json > $O/throughput-2workers.txt 2>&1
$B warmup --concurrency 50 --duration 120s --pin --workers 1 --json $O/warmup.json > $O/warmup.txt 2>&1
$B throughput --tls --peers nginx,haproxy --concurrency 50 --pin --workers 1 --porter-warmup 30s --rounds 2 --json $O/tls.json > $O/tls.txt 2>&1
$B throughput --peers nginx --concurrency 50 --pin --workers 1 --porter-warmup 120s --rounds 4 --json $O/c50-long-warmup.json > $O/c50-long-warmup.txt 2>&1
$B throughput --tls --new-connection-per-request --peers nginx,haproxy --concurrency 20 --pin --workers 1 --porter-warmup 30s --rounds 2 --json $O/tls-handshakes.json > $O/tls-handshakes.txt 2>&1

#!/bin/bash
# Run F: run E's throughput table again, with the warm-up in sessions on new connections (as the
# rounds), and the TLS handshake ACK in place. Porter on io_uring (transport = auto), one worker
# each, pinned (proxies and origin on CPU 0, load on CPU 1).
set -eu
cd "$(dirname "$0")/../../.."
B="java -jar proxy-bench/target/porter-bench.jar"
O=docs/bench/2026-12-02-run-f
$B throughput --origin static --peers nginx,haproxy --concurrency 50,200,1000 --pin --workers 1 \
    --porter-warmup 60s --rounds 2 --json $O/throughput.json > $O/throughput.txt 2>&1
# c=50 alone, four rounds against nginx: how far the first table's c=50 p99 ratio holds
$B throughput --origin static --peers nginx --concurrency 50 --pin --workers 1 \
    --porter-warmup 60s --rounds 4 --json $O/c50-4rounds.json > $O/c50-4rounds.txt 2>&1

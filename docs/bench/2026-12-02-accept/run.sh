#!/bin/bash
# Issue 8 after listeners moved onto the workers; from /work/main, the machine otherwise idle.
set -u
cd /work/main
out=docs/bench/2026-12-02-accept
B="java -jar proxy-bench/target/porter-bench.jar"
uptime > $out/load-before.txt
$B throughput --origin static --peers nginx,haproxy --new-connection-per-request --concurrency 20 --pin --workers 1 \
   --porter-warmup 30s --warmup 5s --rounds 3 --duration 10s --json $out/new-connection.json 2>&1 | tee $out/new-connection.txt
$B throughput --origin static --peers nginx,haproxy --concurrency 50,200,1000 --pin --workers 1 \
   --porter-warmup 60s --warmup 10s --rounds 2 --duration 10s --json $out/throughput.json 2>&1 | tee $out/throughput.txt
uptime > $out/load-after.txt

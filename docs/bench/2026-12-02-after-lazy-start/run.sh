#!/bin/bash
# Issue 8 after the lazy start-up (TLS, Jackson, XML, JFR loaded on first use) and one setsockopt less per connection; quiet machine, from /work/main. Porter warmed 90 s (the issue's own warm-up).
set -u
cd /work/main
out=docs/bench/2026-12-02-after-lazy-start
mkdir -p $out
B="java -jar proxy-bench/target/porter-bench.jar"
uptime > $out/load-before.txt
$B throughput --origin static --peers nginx,haproxy --concurrency 50,200,1000 --pin --workers 1 \
   --porter-warmup 90s --warmup 10s --rounds 2 --duration 10s --json $out/throughput.json 2>&1 | tee $out/throughput.txt
$B throughput --origin static --peers nginx,haproxy --new-connection-per-request --concurrency 20 --pin --workers 1 \
   --porter-warmup 30s --warmup 5s --rounds 2 --duration 10s --json $out/new-connection.json 2>&1 | tee $out/new-connection.txt
$B idle-connections --count 10000 --pin --workers 1 2>&1 | tee $out/idle-connections.txt
$B warmup --concurrency 50 --duration 60s --pin --workers 1 2>&1 | tee $out/warmup.txt
uptime > $out/load-after.txt
# 2 workers each, not pinned (2 cores: proxy, origin and load generator share both)
$B throughput --origin static --peers nginx,haproxy --concurrency 50,200 --workers 2 \
   --porter-warmup 45s --warmup 10s --rounds 2 --duration 10s --json $out/throughput-w2.json 2>&1 | tee $out/throughput-w2.txt
# JMH: head parsing and the upstream head (time and bytes per operation)
java -jar proxy-bench/target/porter-bench.jar micro --forks 1 --json $out/micro.json 2>&1 | tail -30 > $out/micro.txt

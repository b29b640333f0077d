#!/bin/bash
# The port-exhaustion runs of 2026-12-02 (issue 12, item 4), from the repository root after
# `mvn -B -q -DskipTests package`, as root (each mode gets a network namespace of its own).
# Writes the console output (port-exhaustion.txt), the JSON and the TIME_WAIT charts here.
set -u
D=docs/bench/2026-12-02-port-exhaustion-defaults
echo "== $(date -u +%H:%M:%S) start"; cat /proc/loadavg
# the incident modes for 30 s (10 s is too short on this shared 2-core machine: the cold JVMs
# take several seconds before the first response); old-default and defaults at 200, 600 and
# 2,000 clients and pool-too-small-guarded for 60 s each
java -jar proxy-bench/target/porter-bench.jar port-exhaustion --duration 30s \
    --defaults-concurrency 200,600,2000 --defaults-duration 60s \
    --json $D/port-exhaustion.json --report $D > $D/port-exhaustion.txt 2>&1
echo "exit $?"
echo "== $(date -u +%H:%M:%S) done"; cat /proc/loadavg
# a second sample, started 02:55 UTC when the machine was less loaded, into run2/
mkdir -p $D/run2
java -jar proxy-bench/target/porter-bench.jar port-exhaustion --duration 30s \
    --defaults-concurrency 200,600,2000 --defaults-duration 60s \
    --json $D/run2/port-exhaustion.json --report $D/run2 > $D/run2/port-exhaustion.txt 2>&1
echo "exit $?"
echo "== $(date -u +%H:%M:%S) done"; cat /proc/loadavg

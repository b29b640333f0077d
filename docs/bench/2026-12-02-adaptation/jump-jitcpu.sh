#!/bin/bash
# jump-jitcpu.sh: the compiler threads' share of a warm Porter's CPU across a jump from 50 to 200
# connections, without JFR (which adds compilations of its own). Warm-up as jump-deopts.sh; then
# one 10-s run at c=50, the bench's 5-s level warm-up at c=200 and three 10-s runs at c=200. For
# each: req/s, Porter's CPU per request, and the CPU its C1 and C2 compiler threads used (ms).
set -u
D=/tmp/pnc/jumpcpu
. "$(dirname "$0")/start.sh"
ticks() { # all threads, then the compiler threads, in clock ticks
  local all=0 jit=0
  for t in /proc/$P/task/*; do
    read -r name < $t/comm
    v=$(awk '{print $14+$15}' $t/stat 2>/dev/null || echo 0)
    all=$((all + v)); case "$name" in C1\ Compiler*|C2\ Compiler*) jit=$((jit + v));; esac
  done
  echo "$all $jit"; }
run() { # conc secs label
  read a0 j0 < <(ticks)
  local out=$(taskset -c 1 wrk -t1 -c$1 -d$2s http://127.0.0.1:$PP/ 2>&1)
  read a1 j1 < <(ticks)
  local n=$(echo "$out" | awk '/requests in/{print $1}')
  echo "$3 c=$1 $(echo "$out" | awk '/Requests\/sec/{print "rps=" $2}') cpu_us_per_req=$(python3 -c "print(round(($a1-$a0)*10000/$n,1))") jit_ms=$(( (j1-j0)*10 )) porter_ms=$(( (a1-a0)*10 ))"; }
for i in 1 2 3 4 5 6; do run 50 10 warmup$i; done
run 50 10 c50
run 200 5 level
run 200 10 round1
run 200 10 round2
run 200 10 round3
stop_all

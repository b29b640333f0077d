#!/bin/bash
# compiles.sh CONC: what the JIT compiles at steady load. Porter (workers=1) + static nginx origin on CPU 0, wrk on
# CPU 1; 30 s warm-up, then JFR (settings=profile: compilations of 100 ms or more, deoptimizations) over 20 s of load.
set -u
C=$1; D=/tmp/pnc/compiles
. "$(dirname "$0")/start.sh"
taskset -c 1 wrk -t1 -c$C -d30s http://127.0.0.1:$PP/ > /dev/null 2>&1
jcmd $P JFR.start name=c settings=profile filename=$D/c.jfr > /dev/null
taskset -c 1 wrk -t1 -c$C -d20s --latency http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1
jcmd $P JFR.stop name=c > /dev/null
stop_all
grep -E "99%|Requests/sec" $D/wrk.txt
jfr print --events jdk.Compilation $D/c.jfr | grep -E "duration|method = |compileLevel|inlinedBytes|codeSize" | paste - - - - - | sed 's/  */ /g' | sort -t= -k2 -rn | head -30
echo "deoptimizations: $(jfr print --events jdk.Deoptimization $D/c.jfr | grep -c 'jdk.Deoptimization')"
jfr summary $D/c.jfr | grep -E "Compilation|Deoptimization|CompilerStatistics"

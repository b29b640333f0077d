#!/bin/bash
# deopt-reasons.sh CONC: why the JIT throws away compiled code when a load generator's connections
# close and a new one's arrive at a warm Porter. Porter (workers=1) + static nginx origin on CPU 0,
# wrk on CPU 1: 30 s of load; JFR (jdk.Deoptimization: method, line, reason, action) from its
# 25th second, over its end (all CONC connections close), a second wrk of 10 s (all new
# connections) and its end. Prints the deoptimizations grouped by method, line, reason and
# action, most frequent first, with the second each happened in.
set -u
C=$1; D=/tmp/pnc/deopts
. "$(dirname "$0")/start.sh"
taskset -c 1 wrk -t1 -c$C -d30s http://127.0.0.1:$PP/ > /dev/null 2>&1 & W=$!
sleep 25
jcmd $P JFR.start name=d settings=profile filename=$D/d.jfr > /dev/null
wait $W
echo "first wrk ended $(date +%T.%N)"
sleep 2
taskset -c 1 wrk -t1 -c$C -d10s --latency http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1
echo "second wrk ended $(date +%T.%N)"
sleep 2
jcmd $P JFR.stop name=d > /dev/null
stop_all
grep -E "99%|Requests/sec" $D/wrk.txt
jfr print --events jdk.Deoptimization $D/d.jfr > $D/deopts.txt
echo "deoptimizations: $(grep -c 'jdk.Deoptimization' $D/deopts.txt)"
python3 - "$D/deopts.txt" <<'PY'
import collections, re, sys
events, cur = [], {}
for line in open(sys.argv[1]):
    m = re.match(r'\s*(\w+) = (.*)', line)
    if line.startswith('jdk.Deoptimization'):
        if cur: events.append(cur)
        cur = {}
    elif m and m.group(1) in ('startTime', 'method', 'lineNumber', 'bci', 'instruction', 'reason', 'action', 'compiler'):
        cur[m.group(1)] = m.group(2).strip()
if cur: events.append(cur)
c = collections.Counter((e.get('method'), e.get('lineNumber'), e.get('instruction'), e.get('reason'), e.get('action'), e.get('compiler')) for e in events)
when = collections.defaultdict(set)
for e in events:
    when[(e.get('method'), e.get('lineNumber'), e.get('instruction'), e.get('reason'), e.get('action'), e.get('compiler'))].add(e.get('startTime', '')[:8])
for k, n in c.most_common(60):
    print(n, ' | '.join(str(x) for x in k), ' | at', ' '.join(sorted(when[k])))
PY

#!/bin/bash
# jump-deopts.sh: what the JIT does when a warm Porter's load goes from 50 to 200 connections, as
# in the throughput bench's first round at c=200. Porter (workers=1) + static nginx origin on
# CPU 0, wrk on CPU 1. Warm-up as the bench's: 6 sessions of 10 s at c=50, each on new
# connections. Then, with JFR on: 5 s at c=200 (the bench's level warm-up), and three 10-s runs
# at c=200. Prints each run's req/s and p99, Porter's CPU per request in each, and JFR's
# deoptimizations (grouped) and C2 compilations of 50 ms or more, by second.
set -u
D=/tmp/pnc/jump
. "$(dirname "$0")/start.sh"
cpu() { awk '{print $14+$15}' /proc/$P/stat; }
run() { # conc secs label
  local c0=$(cpu); local out=$(taskset -c 1 wrk -t1 -c$1 -d$2s --latency http://127.0.0.1:$PP/ 2>&1); local c1=$(cpu)
  local n=$(echo "$out" | awk '/requests in/{print $1}')
  echo "$3 $(date +%T) c=$1 $(echo "$out" | awk '/Requests\/sec/{print "rps=" $2} $1=="99%"{print "p99=" $2}' | tr '\n' ' ') cpu_us_per_req=$(python3 -c "print(round(($c1-$c0)*10000/$n,1))")"; }
for i in 1 2 3 4 5 6; do run 50 10 warmup$i > /dev/null; done
run 50 10 c50
jcmd $P JFR.start name=j settings=profile filename=$D/j.jfr > /dev/null
run 200 5 level
run 200 10 round1
run 200 10 round2
run 200 10 round3
jcmd $P JFR.stop name=j > /dev/null
stop_all
jfr print --events jdk.Deoptimization $D/j.jfr > $D/deopts.txt
jfr print --events jdk.Compilation $D/j.jfr > $D/compiles.txt
python3 - "$D/deopts.txt" "$D/compiles.txt" <<'PY'
import collections, re, sys
def events(path, name, keys):
    out, cur = [], None
    for line in open(path):
        if line.startswith(name):
            if cur: out.append(cur)
            cur = {}
        m = re.match(r'\s*(\w+) = (.*)', line)
        if cur is not None and m and m.group(1) in keys:
            cur.setdefault(m.group(1), m.group(2).strip())
    if cur: out.append(cur)
    return out
d = events(sys.argv[1], 'jdk.Deoptimization', ('startTime', 'method', 'lineNumber', 'reason', 'action'))
print("deoptimizations:", len(d), "by second:", sorted(collections.Counter(e['startTime'][:8] for e in d).items()))
c = collections.Counter((e.get('method'), e.get('lineNumber'), e.get('reason'), e.get('action')) for e in d)
for k, n in c.most_common(25):
    print(" ", n, ' | '.join(str(x) for x in k))
comp = events(sys.argv[2], 'jdk.Compilation', ('startTime', 'duration', 'method', 'compileLevel', 'isOsr'))
def ms(s):
    m = re.match(r'([\d.]+) (ms|s|us)', s)
    return float(m.group(1)) * {'ms': 1, 's': 1000, 'us': 0.001}[m.group(2)] if m else 0
big = [e for e in comp if e.get('compileLevel') == '4' and ms(e.get('duration', '')) >= 50]
print("C2 compilations >= 50 ms:", len(big), "total ms:", round(sum(ms(e['duration']) for e in big)))
for e in big:
    print("  ", e['startTime'][:12], e['duration'], e['method'][:110])
PY

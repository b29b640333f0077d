#!/bin/bash
# jump-classes.sh: what a warm Porter loads and makes not entrant when its load goes from 50 to
# 200 connections. Same warm-up as jump-deopts.sh (six 10-s sessions at c=50, then one more),
# without JFR; Porter runs with -Xlog:class+load (uptime) and -XX:+PrintCompilation. Prints the
# JVM's uptime at the jump, the classes loaded from 2 s before it to 20 s after, and the
# compilations and "made not entrant" lines of that window.
set -u
D=/tmp/pnc/jumpcl
JOPTS="-Xlog:class+load:file=/tmp/pnc/jumpcl-classes.txt:uptime -XX:+PrintCompilation"
rm -f /tmp/pnc/jumpcl-classes.txt
. "$(dirname "$0")/start.sh"
for i in 1 2 3 4 5 6 7; do taskset -c 1 wrk -t1 -c50 -d10s http://127.0.0.1:$PP/ > /dev/null 2>&1; done
T=$(jcmd $P VM.uptime | awk '/s$/ {print $1+0}' | tail -1)
echo "jump at uptime $T s"
taskset -c 1 wrk -t1 -c200 -d5s http://127.0.0.1:$PP/ | grep Requests
taskset -c 1 wrk -t1 -c200 -d10s http://127.0.0.1:$PP/ | grep Requests
taskset -c 1 wrk -t1 -c200 -d10s http://127.0.0.1:$PP/ | grep Requests
stop_all
python3 - "$T" /tmp/pnc/jumpcl-classes.txt $D/p.log <<'PY'
import re, sys
t = float(sys.argv[1])
print("classes loaded from jump-2 s to jump+20 s:")
for line in open(sys.argv[2]):
    m = re.match(r'\[([\d.]+)s\]', line)
    if m and t - 2 <= float(m.group(1)) <= t + 20:
        print("  ", line.rstrip()[:160])
print("compilations from jump-2 s to jump+20 s (ms since start):")
n = 0
for line in open(sys.argv[3]):
    m = re.match(r'\s*(\d+)\s+\d+\s', line)
    if m and (t - 2) * 1000 <= int(m.group(1)) <= (t + 20) * 1000:
        n += 1
        if n <= 400:
            print("  ", line.rstrip()[:170])
print("lines:", n)
PY

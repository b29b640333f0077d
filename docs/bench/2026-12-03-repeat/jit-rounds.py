#!/usr/bin/env python3
"""jit-rounds.py W: per window of jit-rounds.sh's run (the warm-up's last 30 s, the idle before round 1,
each round), the C2 (tier 4) compilations JFR recorded, their total time, the three longest, the C1
ones and the collections. Reads W/times.txt and W/jit2.jfr (through `jfr print --json`); each
compilation is counted once (by compile id: a recording dumped twice holds its chunks twice)."""
import collections, json, re, subprocess, sys
from datetime import datetime

w = sys.argv[1] if len(sys.argv) > 1 else '/tmp/jfr'
t = open(f'{w}/times.txt').read()
rounds = [(float(a), float(b)) for a, b in zip(re.findall(r'start ([\d.]+)', t), re.findall(r'end ([\d.]+)', t))]
p99 = re.findall(r'p99 ([\d.]+)ms', t)
warm = float(re.search(r'warm-up done ([\d.]+)', t).group(1))
out = subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.Compilation,jdk.GarbageCollection', f'{w}/jit2.jfr'],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(out)['recording']['events']

def at(e):
    return datetime.fromisoformat(e['values']['startTime'].replace('Z', '+00:00')).timestamp()

def millis(d):
    m = re.match(r'PT([\d.]+)S$', d)
    return float(m.group(1)) * 1000 if m else 0.0

compiles = {e['values']['compileId']: e for e in events if e['type'] == 'jdk.Compilation'}.values()
collections_ = {e['values']['gcId']: e for e in events if e['type'] == 'jdk.GarbageCollection'}.values()
windows = [('warm-up, last 30 s', warm - 30, warm), ('idle before round 1', warm, rounds[0][0])]
windows += [(f'round {i + 1} (p99 {p99[i]} ms)', a, b) for i, (a, b) in enumerate(rounds)]
for name, a, b in windows:
    c2 = [(millis(e['values']['duration']), e['values']['method']['type']['name'].split('/')[-1] + '::'
           + e['values']['method']['name']) for e in compiles if a <= at(e) <= b and e['values']['compileLevel'] == 4]
    c1 = sum(1 for e in compiles if a <= at(e) <= b and e['values']['compileLevel'] != 4)
    gcs = sum(1 for e in collections_ if a <= at(e) <= b)
    top = '; '.join(f'{m} {x:.0f} ms' for x, m in sorted(c2, reverse=True)[:3])
    print(f'{name:24} C2 {len(c2):3} compilations {sum(x for x, _ in c2):6.0f} ms | C1 {c1:3} | collections {gcs:3} | longest: {top}')

#!/usr/bin/env python3
"""waits.py PERF_SCRIPT_TXT TID [CPU]: how long a proxy's event-loop thread waited for its core while it had work.

Reads `perf script -F comm,tid,cpu,time,event,trace` of sched:sched_switch and sched:sched_wakeup. A wait starts
when the thread is preempted (switched out while runnable) or woken, and ends when it next runs on CPU (default 0).
Prints the percentiles of the waits, their sum, and the longest ones with what ran on the core meanwhile."""
import re
import sys
from collections import defaultdict

SWITCH = re.compile(r'prev_comm=(.*) prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) ==> next_comm=(.*) next_pid=(\d+)')
WAKE = re.compile(r'comm=(.*) pid=(\d+) prio=\d+ target_cpu=(\d+)')
LINE = re.compile(r'\s*(.*?)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:(\w+):\s+(.*)')


def main():
    path, tid, cpu = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0
    since = None          # when the thread became runnable and was not running
    running = None        # (comm, since) of what has the core now
    ran = defaultdict(float)  # what ran on the core during the current wait
    waits = []
    for line in open(path):
        m = LINE.match(line)
        if not m:
            continue
        c, ts, event, rest = int(m.group(3)), float(m.group(4)), m.group(5), m.group(6)
        if event == 'sched_wakeup':
            w = WAKE.search(rest)
            # a wake-up of the thread while it runs (io_uring's task work does that) starts no wait
            if w and w.group(2) == tid and since is None and not (running and running[2] == tid):
                since = ts
            continue
        if event != 'sched_switch' or c != cpu:
            continue
        s = SWITCH.search(rest)
        if not s:
            continue
        prev_comm, prev_pid, state, next_comm, next_pid = s.groups()
        if running and since is not None and prev_pid != tid:
            ran[f"{prev_comm}({prev_pid})"] += ts - max(running[1], since)
        if prev_pid == tid:
            since = ts if state.startswith('R') else None  # preempted: waits; went to sleep: does not
            ran.clear()
        if next_pid == tid and since is not None:
            waits.append((ts - since, since, dict(ran)))
            since = None
            ran.clear()
        running = (next_comm, ts, next_pid)
    if not waits:
        print("no waits seen")
        return
    d = sorted(w[0] for w in waits)
    pct = lambda p: d[min(len(d) - 1, int(len(d) * p / 100))] * 1e3
    print(f"waits: {len(d)}, total {sum(d) * 1e3:.0f} ms; p50 {pct(50):.3f} p99 {pct(99):.2f} p99.9 {pct(99.9):.2f} "
          f"max {d[-1] * 1e3:.2f} ms")
    for w, at, who in sorted(waits, key=lambda w: w[0])[-6:]:
        top = sorted(who.items(), key=lambda kv: -kv[1])[:4]
        print(f"  {w * 1e3:6.2f} ms at {at:.3f}: " + ", ".join(f"{k} {v * 1e3:.2f}" for k, v in top))


main()

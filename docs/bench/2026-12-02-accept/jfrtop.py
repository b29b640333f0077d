# Aggregates a JFR recording: top frames (self) and top frames including callees of the
# porter-worker thread's execution samples, and allocation samples by class and by allocating frame.
import json, subprocess, sys, collections
jfr = sys.argv[1]
requests = int(sys.argv[2]) if len(sys.argv) > 2 else 0
def events(name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", name, jfr],
                         capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]
def fname(fr):
    m = fr["method"]
    return m["type"]["name"] + "." + m["name"]
ex = events("jdk.ExecutionSample")
self_c, total_c, threads = collections.Counter(), collections.Counter(), collections.Counter()
n = 0
for e in ex:
    v = e["values"]
    t = v["sampledThread"]["javaName"] if v.get("sampledThread") else "?"
    threads[t] += 1
    if not t.startswith("porter-worker"):
        continue
    frames = v["stackTrace"]["frames"] if v.get("stackTrace") else []
    if not frames:
        continue
    n += 1
    self_c[fname(frames[0])] += 1
    for f in set(fname(f) for f in frames):
        total_c[f] += 1
print(f"execution samples: {len(ex)} (by thread: {dict(threads.most_common(5))}); porter-worker: {n}")
print("\n== top frames, self (porter-worker) ==")
for f, c in self_c.most_common(40):
    print(f"{100.0 * c / n:6.1f}%  {f}")
print("\n== top frames, with callees (porter-worker) ==")
for f, c in total_c.most_common(60):
    print(f"{100.0 * c / n:6.1f}%  {f}")
# Bytes the worker thread allocated over the recording, from the JVM's own per-thread counter: noise-free.
stats = [e["values"] for e in events("jdk.ThreadAllocationStatistics")
         if e["values"].get("thread") and e["values"]["thread"]["javaName"].startswith("porter-worker")]
if len(stats) >= 2 and requests:
    allocated = stats[-1]["allocated"] - stats[0]["allocated"]
    print(f"\n== porter-worker allocated {allocated / 1e6:.1f} MB over the recording, {requests} requests: {allocated / requests:.0f} bytes per request ==")
# Where: one event per new TLAB (weight: the TLAB's size) or per allocation outside one (its size).
by_class, by_frame, by_stack = collections.Counter(), collections.Counter(), collections.Counter()
tot = 0
for name, key in (("jdk.ObjectAllocationInNewTLAB", "tlabSize"), ("jdk.ObjectAllocationOutsideTLAB", "allocationSize")):
    for e in events(name):
        v = e["values"]
        t = v["eventThread"]["javaName"] if v.get("eventThread") else "?"
        if not t.startswith("porter-worker"):
            continue
        w = v[key]
        tot += w
        by_class[v["objectClass"]["name"]] += w
        frames = v["stackTrace"]["frames"] if v.get("stackTrace") else []
        who = next((fname(f) for f in frames if fname(f).startswith("dev.porter")), fname(frames[0]) if frames else "?")
        by_frame[who] += w
        by_stack[" < ".join(fname(f) for f in frames[:4])] += w
print(f"\n== allocation (porter-worker) by class, TLAB-weighted ({tot / 1e6:.0f} MB) ==")
for k, w in by_class.most_common(25):
    print(f"{100.0 * w / tot:6.1f}%  {k}")
print("\n== allocation by first Porter frame ==")
for k, w in by_frame.most_common(30):
    print(f"{100.0 * w / tot:6.1f}%  {k}")
print("\n== allocation by top 4 frames ==")
for k, w in by_stack.most_common(30):
    print(f"{100.0 * w / tot:6.1f}%  {k}")

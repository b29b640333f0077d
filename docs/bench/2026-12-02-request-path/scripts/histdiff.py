# Per-class growth between two `jmap -histo:live` outputs, divided by the connection count.
import sys, re
def load(p):
    d = {}
    for line in open(p):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if m:
            d[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return d
a, b, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
rows = []
for k in set(a) | set(b):
    ca, ba = a.get(k, (0, 0)); cb, bb = b.get(k, (0, 0))
    rows.append((bb - ba, cb - ca, k))
rows.sort(reverse=True)
tot = sum(r[0] for r in rows)
print(f"total heap growth {tot} bytes = {tot / n:.0f} bytes per connection ({n} connections)")
print(f"{'bytes/conn':>10} {'objs/conn':>9}  class")
for bts, cnt, k in rows[:int(sys.argv[4]) if len(sys.argv) > 4 else 30]:
    if abs(bts) / n < 4: continue
    print(f"{bts / n:10.1f} {cnt / n:9.2f}  {k}")

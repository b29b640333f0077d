import sys,statistics,re
d={}
for l in open(sys.argv[1]):
    m=re.match(r'(\S+) run\d+: listen (\d+) ms rss (\d+) anon (\d+) file (\d+) kB cpu (\d+) ticks',l)
    if m: d.setdefault(m[1],[]).append([int(x) for x in m.groups()[1:]])
for k,v in d.items():
    med=[statistics.median([x[i] for x in v]) for i in range(5)]
    print(f"{k:16s} n={len(v)} rss {med[1]/1024:6.1f} MiB anon {med[2]/1024:5.1f} file {med[3]/1024:5.1f}  cpu to 5s idle {med[4]*10} ms  (rss range {min(x[1] for x in v)/1024:.1f}-{max(x[1] for x in v)/1024:.1f})")

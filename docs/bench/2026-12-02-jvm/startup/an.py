import json,glob,sys,statistics,re
rows={}
for f in sorted(glob.glob('/tmp/st/wu-*.json')):
    d=json.load(open(f)); w=d['warmup']
    rps=w['per_second_rps']; cpu=w['per_second_cpu_ms']
    steady_cpu=sum(cpu[-20:])*1000/sum(rps[-20:])
    def cpu_to(n):
        c=w['startup_cpu_s']; r=0
        for a,b in zip(rps,cpu):
            r+=a; c+=b/1000
            if r>=n: return c
        return float('nan')
    # CPU-seconds of the first 10 s of load per request
    label=re.sub(r'-\d+\.json$','',f.split('/')[-1][3:])
    rec=(w['listening_after_s'],w['first_second_at_80pct_s'],w['share_of_steady_in_first_10s'],w['startup_cpu_s'],w['cpu_s_to_80pct'],cpu_to(50000),cpu_to(150000),w['cpu_us_per_request_by_10s'][0],steady_cpu,w['steady_rps'],d['machine']['loadavg_1m_start'])
    rows.setdefault(label,[]).append(rec)
    print(f"{f.split('/')[-1]:22s} listen {rec[0]:5.2f} 80%@{rec[1]:5.1f} share10 {rec[2]:4.2f} cpuStart {rec[3]:4.2f} cpuTo80 {rec[4]:5.2f} cpu50k {rec[5]:5.2f} cpu150k {rec[6]:5.2f} us/req0-10 {rec[7]:5.0f} steady {rec[8]:4.1f}us {rec[9]:6.0f}rps load {rec[10]}")
print()
for k,v in rows.items():
    med=[statistics.median([r[i] for r in v]) for i in range(len(v[0]))]
    print(f"{k:10s} n={len(v)} median: 80%@{med[1]:5.1f} share10 {med[2]:4.2f} cpuStart {med[3]:4.2f} cpuTo80 {med[4]:5.2f} cpu50k {med[5]:5.2f} cpu150k {med[6]:5.2f} us/req0-10 {med[7]:5.0f} steady {med[8]:4.1f}us")

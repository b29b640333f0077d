#!/usr/bin/env python3
"""legs.py PCAP PROXY_PORT ORIGIN_PORT [--slow]: where each request's time goes, from a loopback capture.

Follows every request by its X-Req-Id (id.lua) through four packets: client -> proxy (t0), proxy -> origin (t1),
origin -> proxy (t2), proxy -> client (t3). Prints the percentiles of each leg: 'in' (t1-t0, the proxy before it
forwards), 'origin' (t2-t1), 'out' (t3-t2, the proxy before it answers) and 'total' (t3-t0, as the client sees it
less the client's own time), then, for the slowest 1% by total, how their time splits between the legs; when
connections to the origin were opened (SYNs); and the proxy's longest silences (no packet to anyone), printed
also in perf's clock when MONO holds the offset of the wall clock over CLOCK_MONOTONIC. --slow lists the
requests that waited longest before being forwarded. A hand-written reader of the classic pcap format because nothing in this machine's Python reads one; it knows only
what tcpdump writes for 'lo' (Ethernet, IPv4, TCP)."""
import os
import struct
import sys
import time
from collections import defaultdict


def packets(path):
    with open(path, 'rb') as f:
        head = f.read(24)
        magic = struct.unpack('<I', head[:4])[0]
        nano = magic == 0xa1b23c4d
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            sec, frac, caplen, _ = struct.unpack('<IIII', h)
            data = f.read(caplen)
            ip = data[14:]
            if len(ip) < 20 or ip[9] != 6:
                continue
            ihl = (ip[0] & 15) * 4
            tcp = ip[ihl:]
            sport, dport = struct.unpack('>HH', tcp[:4])
            payload = tcp[(tcp[12] >> 4) * 4:]
            if payload or tcp[13] & 2:  # data, or a SYN (b'' payload)
                yield sec + frac / (1e9 if nano else 1e6), sport, dport, payload


def req_id(payload):
    i = payload.find(b'X-Req-Id: ')
    if i < 0:
        i = payload.find(b'x-req-id: ')
    if i < 0:
        return None
    j = payload.find(b'\r', i)
    return int(payload[i + 10:j]) if j > 0 else None


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]


def main():
    path, proxy, origin = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    t = defaultdict(dict)
    waiting = {}  # (side, port) -> id of the request that connection is waiting on
    proxy_sends = []
    opened = {}  # port of the connecting side -> time of its SYN
    first = None
    for ts, sport, dport, payload in packets(path):
        first = first or ts
        if not payload:
            if dport == origin:
                opened.setdefault(sport, ts)
        elif dport == proxy and payload.startswith(b'GET'):
            i = req_id(payload)
            if i is not None:
                t[i][0] = ts; t[i]['c'] = sport; waiting[('c', sport)] = i
        elif dport == origin and payload.startswith(b'GET'):
            i = req_id(payload)
            if i is not None:
                t[i][1] = ts; t[i]['u'] = sport; waiting[('u', sport)] = i
            proxy_sends.append(ts)
        elif sport == origin and payload.startswith(b'HTTP'):
            i = waiting.pop(('u', dport), None)
            if i is not None:
                t[i][2] = ts
        elif sport == proxy and payload.startswith(b'HTTP'):
            i = waiting.pop(('c', dport), None)
            if i is not None:
                t[i][3] = ts
            proxy_sends.append(ts)
    whole = {i: v for i, v in t.items() if all(k in v for k in range(4))}  # all four packets seen
    legs = {
        'in': [v[1] - v[0] for v in whole.values()],
        'origin': [v[2] - v[1] for v in whole.values()],
        'out': [v[3] - v[2] for v in whole.values()],
        'total': [v[3] - v[0] for v in whole.values()],
    }
    print(f"requests followed: {len(whole)} (of {len(t)} seen)")
    print("leg      p50      p90      p99    p99.9      max   (ms)")
    for name, vs in legs.items():
        print(f"{name:7s}" + "".join(f"{pct(vs, p) * 1e3:9.2f}" for p in (50, 90, 99, 99.9, 100)))
    slow = sorted(whole.values(), key=lambda v: v[3] - v[0])[-max(1, len(whole) // 100):]
    n = len(slow)
    share = [sum(v[k + 1] - v[k] for v in slow) / n * 1e3 for k in range(3)]
    print(f"slowest 1% ({n}): mean in {share[0]:.2f} ms, origin {share[1]:.2f} ms, out {share[2]:.2f} ms")
    if opened:
        at = sorted(opened.values())
        print(f"connections opened to the origin: {len(at)}, from {(at[0] - first) * 1e3:.0f} ms to "
              f"{(at[-1] - first) * 1e3:.0f} ms of the capture; half of them within "
              f"{min(b - a for a, b in zip(at, at[len(at) // 2:])) * 1e3:.1f} ms")
    else:
        print("connections opened to the origin: 0")
    if '--slow' in sys.argv:
        print("slowest 'in' legs: start(ms) in origin out, client port, upstream port, its SYN before forwarding (ms)")
        for v in sorted(whole.values(), key=lambda v: v[1] - v[0])[-12:]:
            syn = opened.get(v['u'])
            print(f"  {(v[0] - first) * 1e3:8.1f} {(v[1] - v[0]) * 1e3:6.2f} {(v[2] - v[1]) * 1e3:6.2f} "
                  f"{(v[3] - v[2]) * 1e3:6.2f}  {v['c']} {v['u']} {'' if syn is None else f'{(v[1] - syn) * 1e3:.2f}'}")
    proxy_sends.sort()
    gaps = sorted((b - a, a) for a, b in zip(proxy_sends, proxy_sends[1:]))
    print("proxy's longest silences (no packet to client or origin), ms: "
          + " ".join(f"{g * 1e3:.1f}" for g, _ in gaps[-8:]))
    for g, a in gaps[-8:]:
        if g > 0.008:
            mono = f", {a - float(os.environ['MONO']):.3f} in perf's clock" if 'MONO' in os.environ else ''
            print(f"  silence of {g * 1e3:.1f} ms from {time.strftime('%H:%M:%S', time.gmtime(a))}.{int(a % 1 * 1000):03d}"
                  + mono)


main()

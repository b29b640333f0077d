# Opens N keep-alive connections to host:port, sends one GET on each, reads the response, then holds them
# until stdin closes or the hold file disappears. Bounded: N connections, one request each.
import socket, sys, time, selectors, os
host, port, n, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
req = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
socks = []
ok = 0
batch = 200
for i in range(0, n, batch):
    group = []
    for _ in range(min(batch, n - i)):
        s = socket.create_connection((host, port))
        s.sendall(req)
        group.append(s)
    for s in group:
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                head, body = data.split(b"\r\n\r\n", 1)
                cl = [l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if cl and len(body) >= int(cl[0].split(b":")[1]):
                    break
        if data.startswith(b"HTTP/1.1 200"):
            ok += 1
    socks.extend(group)
print(f"open={len(socks)} ok={ok}", flush=True)
open(hold + ".ready", "w").write(str(ok))
deadline = time.time() + 600
while os.path.exists(hold) and time.time() < deadline:
    time.sleep(0.5)
for s in socks:
    s.close()

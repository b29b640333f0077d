# client.py PORT SIZE: one connection; a POST of SIZE bytes written whole before its response is
# read (as http.client and most blocking clients do), then a GET on the same connection.
import http.client, sys
port, size = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
out = []
try:
    c.request("POST", "/upload", body=b"q" * size)
    r = c.getresponse(); r.read()
    out.append(f"POST {r.status} connection={r.getheader('connection')}")
    first = c.sock.getsockname() if c.sock else None
    c.request("GET", "/next")  # http.client opens a new connection if the last one was closed
    r = c.getresponse(); r.read()
    same = "same connection" if c.sock.getsockname() == first else "a new connection"
    out.append(f"GET {r.status} ({same})")
except Exception as e:
    out.append(f"{type(e).__name__}: {e}")
print(f"port {port} body {size}: " + "; ".join(out))

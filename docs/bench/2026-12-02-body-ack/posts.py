# One keep-alive connection, N POSTs with Nagle's algorithm on (Python's default), each written
# as its head and then its 5-byte body in a second write, as the JDK's HttpURLConnection does.
# Prints the status of each and the median and maximum time per POST.
import socket, statistics, sys, time
port, n, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
s = socket.create_connection(("127.0.0.1", port))
s.settimeout(3)
times, statuses = [], []
for i in range(n):
    t = time.perf_counter()
    s.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n")
    s.sendall(b"hello")
    d = b""
    while b"\r\n\r\n" not in d:
        chunk = s.recv(65536)
        if not chunk:
            break
        d += chunk
    head, _, rest = d.partition(b"\r\n\r\n")
    length = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")]
    while length and len(rest) < length[0]:
        rest += s.recv(65536)
    statuses.append(d[9:12].decode() if d else "EOF")
    times.append((time.perf_counter() - t) * 1000)
print("port %d %s: %d POSTs, statuses %s, median %.1f ms, max %.1f ms, over 20 ms: %d"
      % (port, path, n, sorted(set(statuses)), statistics.median(times), max(times), sum(t > 20 for t in times)))

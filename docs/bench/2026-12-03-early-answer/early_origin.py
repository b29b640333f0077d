# An origin on 8033 that answers 401 as soon as it has a request head and never reads a body:
# the early answer of an auth filter in front of an upload.
import socket, threading
def serve(c):
    buf = b""
    while True:
        d = c.recv(65536)
        if not d:
            break
        buf += d
        while b"\r\n\r\n" in buf:
            _, buf = buf.split(b"\r\n\r\n", 1)
            buf = b""  # a body, if any, is never read as one: whatever follows is dropped
            c.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 7\r\n\r\ndenied\n")
    c.close()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8033)); s.listen(64)
while True:
    c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()

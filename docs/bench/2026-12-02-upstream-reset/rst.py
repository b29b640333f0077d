import socket, struct, threading, time, sys
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(("127.0.0.1", 8021)); srv.listen(50)
def serve():
    while True:
        c, _ = srv.accept()
        def h(c=c):
            d=b""
            while b"\r\n\r\n" not in d:
                x=c.recv(65536)
                if not x: return
                d+=x
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x"*1000)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close()
        threading.Thread(target=h, daemon=True).start()
threading.Thread(target=serve, daemon=True).start()
slow=0
for i in range(int(sys.argv[1])):
    s=socket.create_connection(("127.0.0.1", 8020)); s.settimeout(5)
    t=time.time(); s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
    got=0; how="?"
    try:
        while True:
            x=s.recv(65536)
            if not x: how="EOF"; break
            got+=len(x)
    except socket.timeout: how="TIMEOUT"
    except ConnectionResetError: how="RST"
    dt=(time.time()-t)*1000
    if how=="TIMEOUT" or dt>500: slow+=1; print(i, how, got, "%.0f ms"%dt)
    s.close()
print("slow:", slow)

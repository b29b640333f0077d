import socket, time, sys
port=int(sys.argv[1]); mode=sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
s.settimeout(3)
out=[]
for i in range(5):
    t=time.time()
    if mode=="get":
        s.sendall(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
    elif mode=="post1":
        s.sendall(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
    else:
        s.sendall(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"); s.sendall(b"hello")
    try:
        d=s.recv(65536)
        out.append("%s %.1fms" % (d[:15] if d else b"EOF", (time.time()-t)*1000))
    except Exception as e:
        out.append("err %s" % e)
print(mode, port, out)

import socket, time, sys
n=int(sys.argv[1])
srv=socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(('127.0.0.1',0)); srv.listen(4096)
cl=[];acc=[]
for i in range(n):
    c=socket.create_connection(srv.getsockname()); cl.append(c); acc.append(srv.accept()[0])
print('open', n*2, flush=True)
time.sleep(float(sys.argv[2]))

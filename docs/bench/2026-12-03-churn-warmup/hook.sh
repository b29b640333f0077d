#!/bin/bash
# hook.sh PID_A PID_B: ab.sh's HOOK. After ab.sh's own 20-s warm-up, 90 more seconds of wrk at
# c=50 for each Porter, cut differently: A in 9 sessions of 10 s (new connections 9 times, as the
# bench's warm-up), B in 90 sessions of 1 s (new connections 90 times). Same load-time, ten
# times the accepts and closes for B. Ports from ab.sh's configurations (its run directory).
port() { grep -m1 -o 'address = "127.0.0.1:[0-9]*", keepalive-timeout' /tmp/ab/run/$1.conf | grep -o ':[0-9]*' | tr -d :; }
PA=$(port a); PB=$(port b)
echo "hook: A=$1 port $PA, B=$2 port $PB" >&2
for i in $(seq 9); do taskset -c ${LOAD_CPUS:-1} wrk -t1 -c50 -d10s http://127.0.0.1:$PA/ > /dev/null 2>&1; done
for i in $(seq 90); do taskset -c ${LOAD_CPUS:-1} wrk -t1 -c50 -d1s http://127.0.0.1:$PB/ > /dev/null 2>&1; done

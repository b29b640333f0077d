#!/bin/bash
# Handshake-only comparison: Porter (1 worker, its own 404) and nginx (return 404), same RSA 2048
# certificate, both on CPU 0; ab (a full TLS handshake per request, -c 20) on CPU 1. Porter is
# warmed with 20,000 handshakes first. Prints handshakes/s and CPU us per handshake, and a JFR
# recording of Porter's measured run when JFR=1.
set -u
cd /tmp/hs
taskset -c 0 nginx -c /tmp/hs/nginx.conf > /dev/null 2>&1 & NGX=$!
PORTER_JAVA_OPTS="${JOPTS:-}" taskset -c 0 /work/main/bin/porter run --config /tmp/hs/porter.conf (this directory's hs-porter.conf) > porter.log 2>&1 & P=$!
sleep 3
taskset -c 1 ab -n 20000 -c 20 https://127.0.0.1:8443/ > /dev/null 2>&1
for r in 1 2; do
  for t in porter nginx; do
    if [ $t = porter ]; then PID=$P; PORT=8443; else PID=$(cat /tmp/hs/nginx.pid 2>/dev/null || echo $NGX); PORT=8444; fi
    [ $t = nginx ] && PID=$(pgrep -f "nginx: worker" | head -1)
    [ "${JFR:-0}" = 1 ] && [ $t = porter ] && [ $r = 2 ] && jcmd $P JFR.start name=h settings=profile filename=/tmp/hs/h.jfr > /dev/null
    a=$(bash cpu.sh $PID)
    out=$(taskset -c 1 ab -n 10000 -c 20 https://127.0.0.1:$PORT/ 2>&1)
    b=$(bash cpu.sh $PID)
    [ "${JFR:-0}" = 1 ] && [ $t = porter ] && [ $r = 2 ] && jcmd $P JFR.stop name=h > /dev/null
    rps=$(echo "$out" | awk '/Requests per second/{print $4}')
    echo "round $r $t: $rps handshakes/s, CPU $((b - a)) us per handshake (ticks of 10 ms over 10,000)"
  done
done
kill $P; wait $P 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null

#!/bin/bash
# burst.sh FLAGS... : for each flags string: fresh Porter, 15 s at c=50, then 1,000 new clients at once (wrk c=1000 10 s); p99 and the listen queue's peak
set -u
W=${WT:-/work/main}; D=/tmp/ab/burst; rm -rf $D; mkdir -p $D
read OP PP AP < <(python3 $(dirname $0)/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/" $(dirname $0)/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/;s/keepalive = 512/keepalive = 1024/" $(dirname $0)/porter.conf.tpl > $D/p.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
for F in "$@"; do
  PORTER_JAVA_OPTS="$F" taskset -c 0 $W/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
  for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
  taskset -c 1 wrk -t1 -c50 -d15s http://127.0.0.1:$PP/ > /dev/null
  (for i in $(seq 24); do ss -ltnH "sport = :$PP" | awk '{printf "%s ", $2}'; sleep 0.25; done > $D/q.txt) & Q=$!
  out=$(taskset -c 1 wrk -t1 -c1000 -d10s --timeout 10s --latency http://127.0.0.1:$PP/)
  wait $Q
  echo "[$F] $(echo "$out" | awk '/Requests\/sec/{print "rps="$2} $1=="99%"{print "p99="$2} /Socket errors/{print}' | tr '\n' ' ') queue: $(cat $D/q.txt)"
  kill $P; wait $P 2>/dev/null
done
kill $NGX; wait $NGX 2>/dev/null

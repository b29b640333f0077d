#!/bin/bash
ip link set lo up
cd /tmp/qa
java -jar /work/main/proxy-server/target/porter.jar run --config pcap-porter.conf > porter.log 2>&1 &
P=$!
for i in $(seq 50); do grep -q "listening" porter.log && break; sleep 0.2; done
ab -n 20 -c 1 https://127.0.0.1:8443/ > /dev/null 2>&1
tcpdump -U -i lo -nn -tt -w /tmp/qa/after.pcap 'tcp port 8443' 2>/dev/null &
T=$!; sleep 1
nstat -n
ab -n 1 -c 1 https://127.0.0.1:8443/ 2>&1 | grep -E "Time per request"
nstat -az TcpExtDelayedACKs
sleep 1; kill -INT $T; wait $T; kill $P

#!/bin/bash
# run.sh: nginx (8031) and Porter (8032, in front of early_origin.py) answer a request before its
# body has come; does the client, which writes its whole body first, get the answer, and can it
# use the connection again? Bodies of 5 bytes to 16 MiB. PORTER_HOME=/other/tree runs another
# build of Porter (its bin/porter and porter.jar) with the same configuration.
set -u
cd "$(dirname "$0")"; mkdir -p /tmp/early3
nginx -c $PWD/origin.conf -p /tmp/early3 > /dev/null 2>&1 & N=$!
python3 early_origin.py & O=$!
${PORTER_HOME:-../../..}/bin/porter run --config porter.conf > /tmp/early3/porter.log 2>&1 & P=$!
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:8032/ && break; sleep 0.2; done
for size in 5 65536 1048576 16777216; do python3 client.py 8031 $size; python3 client.py 8032 $size; done
kill $P $O $N; wait 2>/dev/null

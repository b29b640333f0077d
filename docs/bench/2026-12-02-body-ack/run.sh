#!/bin/bash
# Porter (this tree's porter.jar) and nginx, each in front of an origin that answers at once
# (nginx `return 200`, /early), one that reads the body first (body-origin.py, /reads) and one
# that also writes its response's head and body apart (/split);
# posts.py sends 20 POSTs on one connection through each. Usage: run.sh [porter.jar]
set -u
D=$(cd "$(dirname "$0")" && pwd); JAR=${1:-$D/../../../proxy-server/target/porter.jar}
mkdir -p /tmp/body-ack
python3 "$D/body-origin.py" 8022 & ORIGIN=$!
python3 "$D/body-origin.py" 8023 split & SPLIT=$!
nginx -c "$D/nginx.conf" & NGINX=$!
java -jar "$JAR" run --config "$D/porter.conf" > /tmp/body-ack/porter.log 2>&1 & PORTER=$!
for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:8040/early -d x && break; sleep 0.2; done
for path in /early /reads /split; do
  for port in 8040 8030; do python3 "$D/posts.py" $port 20 $path; done
done
kill $PORTER $NGINX $ORIGIN $SPLIT; wait 2>/dev/null

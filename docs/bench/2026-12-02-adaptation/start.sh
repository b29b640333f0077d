# start.sh, sourced by this directory's scripts: a static nginx origin and Porter (bin/porter, workers=1, upstream
# keepalive 1024) on CPU 0, in a fresh $D; Porter gets $JOPTS as PORTER_JAVA_OPTS and $PTPL as its config template
# (default porter.conf.tpl). Sets S, OP/PP/AP (origin, Porter, admin ports), NGX and P (their PIDs); stop_all ends both.
S=$(cd "$(dirname "${BASH_SOURCE[0]}")"; pwd)
rm -rf $D; mkdir -p $D
read OP PP AP < <(python3 $S/freeport.py 3)
sed "s/ORIGIN_PORT/$OP/;s#/tmp/ab/#$D/#" $S/origin.conf.tpl > $D/origin.conf
sed "s/ORIGIN_PORT/$OP/;s/PORTER_PORT/$PP/;s/ADMIN_PORT/$AP/;s/keepalive = 512/keepalive = 1024/" ${PTPL:-$S/porter.conf.tpl} > $D/p.conf
taskset -c 0 nginx -c $D/origin.conf -p $D > /dev/null 2>&1 & NGX=$!
PORTER_JAVA_OPTS="${JOPTS:-}" taskset -c 0 /work/main/bin/porter run --config $D/p.conf > $D/p.log 2>&1 & P=$!
for i in $(seq 150); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
stop_all() { kill $P; wait $P 2>/dev/null; kill $NGX; wait $NGX 2>/dev/null; }

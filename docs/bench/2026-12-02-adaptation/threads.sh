#!/bin/bash
# threads.sh CONC: Porter (workers=1) + static nginx origin on CPU 0, wrk on CPU 1; 30 s warm-up, then the CPU
# each of Porter's threads used over 20 s of load (user/sys jiffies from /proc/PID/task/*/stat), and wrk's latency.
set -u
C=$1; D=/tmp/pnc/threads
. "$(dirname "$0")/start.sh"
taskset -c 1 wrk -t1 -c$C -d30s http://127.0.0.1:$PP/ > /dev/null 2>&1
snap() { for t in /proc/$P/task/*; do echo "$(cat $t/comm | tr ' ' _)/${t##*/} $(awk '{print $14, $15}' $t/stat)"; done | sort; }
snap > $D/t0; taskset -c 1 wrk -t1 -c$C -d20s --latency http://127.0.0.1:$PP/ > $D/wrk.txt 2>&1; snap > $D/t1
n=$(awk '/requests in/{print $1}' $D/wrk.txt)
join $D/t0 $D/t1 | awk -v n=$n '{u=$4-$2; s=$5-$3; if (u+s>0) printf "%-28s user %5d sys %5d jiffies  %.2f us/req\n", $1, u, s, (u+s)*10000/n}'
grep -A5 "Latency Distribution" $D/wrk.txt; grep "Requests/sec" $D/wrk.txt
stop_all

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reconfiguring a wbnic while it carries traffic, and RSS:
#  - ethtool -C on both ends, five settings (coalescing off included),
#    during a TCP transfer: the data arrives intact, ethtool -c reports
#    the last setting;
#  - ethtool -L combined 1 -> 4 -> 2 -> 8 -> 4 on both ends during a TCP
#    transfer: intact, ethtool -l reports 4;
#  - with 4 channels: ethtool -S has rx_queue_3_packets, sysfs has rx-0..3,
#    wbctl nic show 4 queues, and 32 flows (8 source addresses, 4 source
#    ports each) land on more than one RX queue, each on the queue its
#    Toeplitz hash under the default key and indirection table picks;
#  - back to 2 channels: queue 2 and 3 counters are gone from ethtool -S.
#
#  +------------------------+                +--------------------+
#  | ns1                    |                |                ns2 |
#  |  nc1 10.0.34.1/24      +----- cable ----+  nc2 10.0.34.2/24  |
#  |      10.0.34.10-17/24  |                |                    |
#  +------------------------+                +--------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool ping socat ss sha256sum timeout python3
require_module wirebox_nic
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

setup_ns NS1 NS2 || exit $ksft_fail
ipv6_off "$NS1" "$NS2"
check "cabled pair nc1 (ns1) <-> nc2 (ns2), up, carrier" \
	wbnic_cabled_pair "$NS1" nc1 "$NS2" nc2 34
bail_on_fail

carrier_both() {
	wait_for 10 link_ready "$NS1" nc1 && wait_for 10 link_ready "$NS2" nc2
}

# a stalled transfer (tcp_xfer's report): both NICs' queues, counters and
# qdiscs
xfer_stall_hook() { wbnic_report "$NS1" nc1 "$NS2" nc2; }

# during PORT WHAT SETTING...: a TCP transfer ns1 -> ns2 on PORT (at least
# 1 MiB, going on until the last setting is made), and `ethtool WHAT` with
# each SETTING on both ends meanwhile, 0.3 s apart. Each change is logged
# with how long it took on each end.
during() {
	local port=$1 opt=$2 s n=0 failed=0 t0 t1 t2
	shift 2
	xfer_start "$NS2" 10.0.34.2 "$NS1" 1048576 "$port" "$TMP" ||
		wb_log "the transfer was not seen running (over already, or failed)"
	for s in "$@"; do
		kill -0 "$XFER_PID" 2>/dev/null && n=$((n + 1))
		t0=$EPOCHREALTIME
		# shellcheck disable=SC2086 # one word per token
		ethtool_ns "$NS1" nc1 "$opt" $s || failed=$((failed + 1))
		t1=$EPOCHREALTIME
		# shellcheck disable=SC2086
		ethtool_ns "$NS2" nc2 "$opt" $s || failed=$((failed + 1))
		t2=$EPOCHREALTIME
		wb_log "ethtool $opt $s: nc1 $(secs_between "$t0" "$t1") s, nc2 $(secs_between "$t1" "$t2") s"
		sleep 0.3
	done
	check_eq "ethtool $opt: every setting accepted" "$failed" 0
	check_eq "ethtool $opt: every setting made while the transfer ran" "$n" $#
	check "TCP ns1 -> ns2 across ethtool $opt, sha256 matches" \
		xfer_end "$port" "$TMP"
	wb_log "bytes sent: $(stat -c %s "$TMP/tx.$port" 2>/dev/null || echo none)"
	check "carrier after ethtool $opt" carrier_both
}

wb_log "-- ethtool -C during a TCP transfer"
during 5001 -C \
	"rx-usecs 0 rx-frames 0 tx-usecs 0 tx-frames 0" \
	"rx-usecs 1000 rx-frames 64 tx-usecs 1000 tx-frames 128" \
	"rx-usecs 10 rx-frames 1 tx-usecs 10 tx-frames 1" \
	"rx-usecs 200 rx-frames 16 tx-usecs 100 tx-frames 32" \
	"rx-usecs 30 rx-frames 8 tx-usecs 70 tx-frames 16"
for d in "$NS1 nc1" "$NS2 nc2"; do
	read -r ns dev <<<"$d"
	check_eq "$dev: ethtool -c rx-usecs rx-frames tx-usecs tx-frames" \
		"$(ethtool_cur "$ns" "$dev" -c rx-usecs rx-frames tx-usecs tx-frames)" \
		"30 8 70 16"
done

wb_log "-- ethtool -L during a TCP transfer"
during 5002 -L "combined 4" "combined 2" "combined 8" "combined 1" "combined 4"
for d in "$NS1 nc1" "$NS2 nc2"; do
	read -r ns dev <<<"$d"
	check_eq "$dev: ethtool -l current Combined" "$(ethtool_cur "$ns" "$dev" -l Combined)" 4
	check_eq "$dev: ethtool -c kept across -L" \
		"$(ethtool_cur "$ns" "$dev" -c rx-usecs rx-frames tx-usecs tx-frames)" \
		"30 8 70 16"
done
check "ping ns1 -> ns2 with 4 channels" \
	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.34.2

wb_log "-- 4 channels: per-queue state and RSS"
check "nc2: ethtool -S has rx_queue_3_packets" \
	sh -c "ip netns exec $NS2 ethtool -S nc2 | grep -q '^ *rx_queue_3_packets:'"
check "nc2: ethtool -S has queue_3_irqs" \
	sh -c "ip netns exec $NS2 ethtool -S nc2 | grep -q '^ *queue_3_irqs:'"
check_eq "nc2: sysfs rx queues" \
	"$(ip netns exec "$NS2" sh -c 'ls -d /sys/class/net/nc2/queues/rx-*' | wc -l)" 4
check_eq "nc2: sysfs tx queues" \
	"$(ip netns exec "$NS2" sh -c 'ls -d /sys/class/net/nc2/queues/tx-*' | wc -l)" 4
check_eq "nic show nc2: queues" "$(wbnic_json "$NS2" nc2 queues)" 4
check_eq "nic show nc2: queue 3 index" "$(wbnic_json "$NS2" nc2 queues.3.index)" 3

for i in $(seq 10 17); do
	ip -n "$NS1" addr add "10.0.34.$i/24" dev nc1
done
# shellcheck disable=SC2034 # used through namerefs (counters_snap_quiet, cdelta)
declare -A B0 B1
counters_snap_quiet B0 "$NS2" nc2
# 32 TCP SYNs from different addresses and ports to a closed port (nc2
# answers with RSTs): distinct flows for any RSS hash, L3 or L4
check "32 flows ns1 -> ns2" ip netns exec "$NS1" python3 -c '
import socket, sys, time
socks = []
out = open(sys.argv[1], "w")
for a in range(10, 18):
    for p in range(4):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("10.0.34.%d" % a, 0))
        s.setblocking(False)
        s.connect_ex(("10.0.34.2", 4444))
        socks.append(s)
        print("%s %d" % s.getsockname(), file=out)
out.close()
time.sleep(1)
' "$TMP/flows"
sleep 0.5
counters_snap_quiet B1 "$NS2" nc2
used=0 total=0 per=""
for q in 0 1 2 3; do
	d=$(cdelta B0 B1 "rx_queue_${q}_packets")
	per+=" q$q+$d"
	[ "$d" -gt 0 ] 2>/dev/null && used=$((used + 1))
	[ "$d" -ge 0 ] 2>/dev/null && total=$((total + d))
done
wb_log "nc2 rx per queue:$per"
check "at least 32 frames received over the 4 queues ($total)" test "$total" -ge 32
check "flows spread over more than one RX queue ($used)" test "$used" -ge 2
check_eq "qsum.rx_packets = stats64 rx_packets growth" \
	"$(cdelta B0 B1 qsum.rx_packets)" "$(cdelta B0 B1 stat.rx_packets)"

# RSS exactly: the queue of each flow's SYN is its Toeplitz hash (source
# and destination address, source and destination port) under the
# driver's default key, the first 40 bytes of the system's netdev_rss_key,
# through the default indirection table (entry i: queue i % 4), i.e. the
# hash's low bits % 4. Queue 0 also gets nc1's ARP replies (no IP: no hash).
rss_expect() {
	python3 -c '
import sys
key = bytes.fromhex(open("/proc/sys/net/core/netdev_rss_key").read().strip().replace(":", ""))[:40]
def toeplitz(data):
    k = int.from_bytes(key, "big")
    h = 0
    for i in range(len(data) * 8):
        if data[i // 8] & (0x80 >> (i % 8)):
            h ^= (k >> (len(key) * 8 - 32 - i)) & 0xffffffff
    return h
n = [0] * 4
for line in open(sys.argv[1]):
    a, p = line.split()
    d = bytes(map(int, a.split("."))) + bytes([10, 0, 34, 2]) + \
        int(p).to_bytes(2, "big") + (4444).to_bytes(2, "big")
    n[toeplitz(d) % 128 % 4] += 1
print(*n)' "$TMP/flows"
}
read -r e0 e1 e2 e3 < <(rss_expect)
wb_log "Toeplitz predicts per queue: q0 $e0 q1 $e1 q2 $e2 q3 $e3"
check_eq "32 flows predicted" "$((e0 + e1 + e2 + e3))" 32
check "queue 0: at least the $e0 SYNs predicted" \
	test "$(cdelta B0 B1 rx_queue_0_packets)" -ge "$e0"
check_eq "queue 1: the SYNs predicted" "$(cdelta B0 B1 rx_queue_1_packets)" "$e1"
check_eq "queue 2: the SYNs predicted" "$(cdelta B0 B1 rx_queue_2_packets)" "$e2"
check_eq "queue 3: the SYNs predicted" "$(cdelta B0 B1 rx_queue_3_packets)" "$e3"

wb_log "-- back to 2 channels"
check "nc2: ethtool -L combined 2" ethtool_ns "$NS2" nc2 -L combined 2
check "carrier" carrier_both
check_fail "nc2: no rx_queue_3_packets any more" \
	sh -c "ip netns exec $NS2 ethtool -S nc2 | grep -q '^ *rx_queue_3_packets:'"
check_fail "nc2: no rx_queue_2_packets any more" \
	sh -c "ip netns exec $NS2 ethtool -S nc2 | grep -q '^ *rx_queue_2_packets:'"
check "nc2: rx_queue_1_packets still there" \
	sh -c "ip netns exec $NS2 ethtool -S nc2 | grep -q '^ *rx_queue_1_packets:'"
check_eq "nic show nc2: queues" "$(wbnic_json "$NS2" nc2 queues)" 2
check "ping ns2 -> ns1 with 2 channels" \
	ip netns exec "$NS2" ping -c 3 -i 0.2 -W 5 -q 10.0.34.1

wb_exit

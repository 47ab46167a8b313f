#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Large receive offload: the device's receive side coalescing (RCTL.RSC).
# The receiving wbnic merges in-order TCP segments of one flow into one
# frame over several RX buffers; the driver hands the stack one skb for
# them (tcpdump on the receiver sees frames longer than the MTU, with a
# correct TCP checksum), counts every segment in rx_packets and the merged
# frames in rx_lro_flushed / rx_lro_aggregated. The bytes arrive intact
# over IPv4 and IPv6, with the stack checking the checksums itself (rx
# off), and over a lossy and a corrupting wire (a gap or a bad segment
# closes the frame; a bad segment is never merged). "ethtool -K lro off"
# stops it; enabling forwarding makes the stack turn it off.
#
#  +-------------------------+                 +-------------------------+
#  | ns1                     |                 |                     ns2 |
#  |  nb1 10.0.38.1/24       +---- cable ------+  nb2 10.0.38.2/24       |
#  |      fd00:38::1/64      |                 |      fd00:38::2/64      |
#  +-------------------------+                 +-------------------------+

# shellcheck disable=SC2317 # the helpers run through check and wait_for
source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool tcpdump socat ss sha256sum timeout nstat sysctl
require_module wirebox_nic
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

setup_ns NS1 NS2 || exit $ksft_fail
check "cabled pair nb1 (ns1) <-> nb2 (ns2), up, carrier" \
	wbnic_cabled_pair "$NS1" nb1 "$NS2" nb2 38
bail_on_fail
MTU=$(link_attr "$NS2" nb2 mtu)

# xfer NAME SRVADDR BYTES PORT: send BYTES from ns1 to SRVADDR in ns2 while
# tcpdump -vv watches nb2 (the receiver); counters of nb2 in Y0/Y1 and of
# nb1 in X0/X1, the capture in $TMP/NAME.
# shellcheck disable=SC2034 # used through namerefs (counters_snap, cdelta)
declare -A X0 X1 Y0 Y1
xfer() {
	local name=$1 addr=$2 bytes=$3 port=$4 rc=0

	wait_for 10 settled B0 || B0=unsettled
	counters_snap X0 "$NS1" nb1
	counters_snap Y0 "$NS2" nb2
	bg_run "$NS2" timeout 120 tcpdump -i nb2 -nn -e -vv -l \
		"tcp and dst port $port" >"$TMP/$name" 2>"$TMP/$name.err"
	local pid=$BG_PID
	wait_for 30 grep -q 'listening on' "$TMP/$name.err" || rc=1
	[ "$rc" = 0 ] && { tcp_xfer "$NS2" "$addr" "$NS1" "$bytes" "$port" "$TMP" || rc=1; }
	sleep 1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	counters_snap X1 "$NS1" nb1
	counters_snap Y1 "$NS2" nb2
	wait_for 10 settled B1 || B1=unsettled
	return "$rc"
}

# The frames nb1 put on the wire less those nb2 counted (received, missed
# for want of a buffer, or dropped): constant while nothing is in flight,
# whatever else (neighbour discovery...) crosses the wire meanwhile.
balance() {
	local t r
	t=$(ethtool_stat "$NS1" nb1 wire_tx)
	# shellcheck disable=SC2016 # expanded by the inner sh
	r=$(ip netns exec "$NS2" sh -c 'cat /sys/class/net/nb2/statistics/rx_packets
		cat /sys/class/net/nb2/statistics/rx_dropped
		ethtool -S nb2 | awk "\$1 == \"rx_missed:\" { print \$2 }"' |
		awk '{ n += $1 } END { print n + 0 }')
	echo $((t - r))
}

# settled NAME: two readings of balance in a row agree; the value in NAME.
settled() {
	local a b
	a=$(balance)
	sleep 0.3
	b=$(balance)
	[ "$a" = "$b" ] && printf -v "$1" %s "$a"
}

# Frames in capture FILE whose TCP checksum tcpdump found wrong.
bad_sums() {
	grep 'incorrect' "$1" | head -n 2 | sed 's/^/# /' >&2
	grep -c 'incorrect' "$1"
}

wb_log "-- the feature"
check_eq "nb2: large-receive-offload (default)" \
	"$(ethtool_feature "$NS2" nb2 large-receive-offload)" on
# without GRO, what tcpdump sees on nb2 is what the driver handed up
check "ethtool -K nb2 gro off" ip netns exec "$NS2" ethtool -K nb2 gro off

E0=$(tcp_csum_errors "$NS2")
for fam in 4 6; do
	if [ $fam = 4 ]; then addr=10.0.38.2; else addr=fd00:38::2; fi
	wb_log "-- LRO on, IPv$fam: 2 MiB ns1 -> ns2"
	check "IPv$fam: TCP 2 MiB, sha256 matches" \
		xfer lro$fam $addr 2097152 $((5390 + fam))
	big=$(tcpdump_longest "$TMP/lro$fam")
	check "IPv$fam: tcpdump on the receiver saw a frame longer than the MTU ($big > $((MTU + 14)))" \
		test "${big:-0}" -gt $((MTU + 14))
	check_eq "IPv$fam: tcpdump found no incorrect checksum" \
		"$(bad_sums "$TMP/lro$fam")" 0
	fl=$(cdelta Y0 Y1 rx_lro_flushed)
	ag=$(cdelta Y0 Y1 rx_lro_aggregated)
	check "IPv$fam: nb2 rx_lro_flushed > 0 ($fl)" test "$fl" -gt 0
	check "IPv$fam: nb2 merged 2 segments a frame at least ($ag >= 2 * $fl)" \
		test "$ag" -ge $((2 * fl))
	rx=$(cdelta Y0 Y1 stat.rx_packets)
	check "IPv$fam: nb2 rx_packets counts segments: one per MSS at least ($rx >= $((2097152 / (MTU - 40))))" \
		test "$rx" -ge $((2097152 / (MTU - 40)))
	check_eq "IPv$fam: at rest, nb1 wire_tx - nb2 (rx_packets + rx_dropped + rx_missed) before = after (every segment counted once)" \
		"$B1" "$B0"
	check_eq "IPv$fam: nb2 rx_dropped +0" "$(cdelta Y0 Y1 stat.rx_dropped)" 0
done
check_eq "ns2: TCP/IP checksum and header errors +0" "$(tcp_csum_errors "$NS2")" "$E0"

wb_log "-- rx checksum offload off: the stack checks merged frames itself"
check "ethtool -K nb2 rx off" ip netns exec "$NS2" ethtool -K nb2 rx off
check "IPv4: TCP 1 MiB, rx off, sha256 matches" xfer norxcsum 10.0.38.2 1048576 5393
fl=$(cdelta Y0 Y1 rx_lro_flushed)
check "rx off: nb2 rx_lro_flushed > 0 ($fl)" test "$fl" -gt 0
check_eq "rx off: ns2 TCP/IP checksum and header errors +0" "$(tcp_csum_errors "$NS2")" "$E0"
check "ethtool -K nb2 rx on" ip netns exec "$NS2" ethtool -K nb2 rx on

wb_log "-- a lossy and a corrupting wire: gaps and bad segments close frames"
check "set nb1 loss 2 corrupt 2" "$WBCTL" -n "$NS1" nic set nb1 loss 2 corrupt 2
check "IPv4: TCP 1 MiB over 2 % loss and 2 % corruption, sha256 matches" \
	xfer lossy 10.0.38.2 1048576 5394
lost=$(cdelta X0 X1 wire_lost)
bad=$(cdelta X0 X1 wire_corrupted)
check "nb1 wire_lost > 0 ($lost), wire_corrupted > 0 ($bad)" \
	test "$lost" -gt 0 -a "$bad" -gt 0
fl=$(cdelta Y0 Y1 rx_lro_flushed)
check "lossy: nb2 still merged frames ($fl)" test "$fl" -gt 0
check "set nb1 loss 0 corrupt 0" "$WBCTL" -n "$NS1" nic set nb1 loss 0 corrupt 0

wb_log "-- ethtool -K lro off"
check "ethtool -K nb2 lro off" ip netns exec "$NS2" ethtool -K nb2 lro off
check_eq "nb2: large-receive-offload" "$(ethtool_feature "$NS2" nb2 large-receive-offload)" off
check "IPv4: TCP 1 MiB, LRO off, sha256 matches" xfer nolro 10.0.38.2 1048576 5395
big=$(tcpdump_longest "$TMP/nolro")
check "LRO off: no frame on the receiver longer than the MTU (${big:-none} <= $((MTU + 14)))" \
	test -n "$big" -a "${big:-0}" -le $((MTU + 14))
check_eq "LRO off: nb2 rx_lro_flushed +0" "$(cdelta Y0 Y1 rx_lro_flushed)" 0
check "ethtool -K nb2 lro on" ip netns exec "$NS2" ethtool -K nb2 lro on
check_eq "nb2: large-receive-offload" "$(ethtool_feature "$NS2" nb2 large-receive-offload)" on

wb_log "-- forwarding: the stack turns LRO off"
check "ns2: net.ipv4.ip_forward=1" \
	ip netns exec "$NS2" sysctl -qw net.ipv4.ip_forward=1
check_eq "nb2: large-receive-offload, forwarding" \
	"$(ethtool_feature "$NS2" nb2 large-receive-offload)" off
check "IPv4: TCP 1 MiB to a forwarding namespace, sha256 matches" \
	xfer fwd 10.0.38.2 1048576 5396
check_eq "forwarding: nb2 rx_lro_flushed +0" "$(cdelta Y0 Y1 rx_lro_flushed)" 0

wb_exit

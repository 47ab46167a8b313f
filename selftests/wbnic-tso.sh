#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP segmentation offload: the driver hands the device whole GSO frames
# (tcpdump on the sender sees frames longer than the MTU), the device cuts
# them into MSS-sized frames on the wire (the receiver gets at least one
# frame per MSS, none too long for its buffers, and the sender's driver
# counts exactly the frames the device put on the wire), and the bytes
# arrive intact over IPv4 and IPv6 with no checksum error. With
# "ethtool -K tso off" the stack segments and no frame is longer than the
# MTU; with a lossy wire, segments are lost one by one and TCP recovers.
#
#  +-------------------------+                 +-------------------------+
#  | ns1                     |                 |                     ns2 |
#  |  nb1 10.0.37.1/24       +---- cable ------+  nb2 10.0.37.2/24       |
#  |      fd00:37::1/64      |                 |      fd00:37::2/64      |
#  +-------------------------+                 +-------------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool tcpdump socat ss sha256sum timeout nstat
require_module wirebox_nic
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

setup_ns NS1 NS2 || exit $ksft_fail
check "cabled pair nb1 (ns1) <-> nb2 (ns2), up, carrier" \
	wbnic_cabled_pair "$NS1" nb1 "$NS2" nb2 37
bail_on_fail
MTU=$(link_attr "$NS1" nb1 mtu)

# xfer NAME SRVADDR BYTES PORT: send BYTES from ns1 to SRVADDR in ns2 while
# tcpdump -e watches nb1; leaves the counters in X0/X1, Y0/Y1 (nb1, nb2)
# and the capture in $TMP/NAME.
# shellcheck disable=SC2034 # used through namerefs (counters_snap, cdelta)
declare -A X0 X1 Y0 Y1
xfer() {
	local name=$1 addr=$2 bytes=$3 port=$4 rc=0

	AGREE=1
	wait_for 10 tx_agree X0 || AGREE=0
	counters_snap Y0 "$NS2" nb2
	bg_run "$NS1" timeout 120 tcpdump -i nb1 -nn -e -l \
		"tcp and dst port $port" >"$TMP/$name" 2>"$TMP/$name.err"
	local pid=$BG_PID
	wait_for 30 grep -q 'listening on' "$TMP/$name.err" || rc=1
	[ $rc = 0 ] && { tcp_xfer "$NS2" "$addr" "$NS1" "$bytes" "$port" "$TMP" || rc=1; }
	sleep 1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	wait_for 10 tx_agree X1 || AGREE=0
	counters_snap Y1 "$NS2" nb2
	return $rc
}

# tx_agree NAME: snapshot nb1's counters into NAME; true when the driver
# and the device agree in it: every frame the driver completed (a GSO frame
# counted as its segments) the device put on the wire, dropped for want of
# link, or refused. The device counts at the doorbell, the driver when it
# reaps the completion, and the two are read one after the other: they
# agree only at a quiet moment, which wait_for waits for.
tx_agree() {
	local -n _s=$1
	counters_snap "$1" "$NS1" nb1
	[ "${_s[stat.tx_packets]:-x}" = \
	  "$(( ${_s[wire_tx]:-0} + ${_s[wire_no_link]:-0} + ${_s[tx_bad_descriptors]:-0} ))" ]
}

wb_log "-- the feature"
for f in tcp-segmentation-offload tx-tcp-segmentation tx-tcp6-segmentation; do
	check_eq "nb1: $f" "$(ethtool_feature "$NS1" nb1 $f)" on
done

E0=$(tcp_csum_errors "$NS2")
for fam in 4 6; do
	if [ $fam = 4 ]; then addr=10.0.37.2; else addr=fd00:37::2; fi
	wb_log "-- TSO on, IPv$fam: 2 MiB ns1 -> ns2"
	check "IPv$fam: TCP 2 MiB, sha256 matches" \
		xfer tso$fam $addr 2097152 $((5370 + fam))
	big=$(tcpdump_longest "$TMP/tso$fam")
	check "IPv$fam: tcpdump on the sender saw a frame longer than the MTU ($big > $((MTU + 14)))" \
		test "${big:-0}" -gt $((MTU + 14))
	rx=$(cdelta Y0 Y1 stat.rx_packets)
	check "IPv$fam: nb2 received a frame per MSS at least ($rx >= $((2097152 / (MTU - 40))))" \
		test "$rx" -ge $((2097152 / (MTU - 40)))
	check_eq "IPv$fam: nb2 rx_oversize +0" "$(cdelta Y0 Y1 rx_oversize)" 0
	check "IPv$fam: nb1 at rest, before and after: tx_packets = wire_tx + wire_no_link + tx_bad_descriptors (segments counted)" \
		test "$AGREE" = 1
	check_eq "IPv$fam: nb1 tx_packets +N = wire_tx +N" \
		"$(cdelta X0 X1 stat.tx_packets)" "$(cdelta X0 X1 wire_tx)"
	check_eq "IPv$fam: nb1 tx_bad_descriptors +0" "$(cdelta X0 X1 tx_bad_descriptors)" 0
done
check_eq "ns2: TCP/IP checksum and header errors +0" "$(tcp_csum_errors "$NS2")" "$E0"

wb_log "-- TSO off: the stack segments"
check "ethtool -K nb1 tso off" ip netns exec "$NS1" ethtool -K nb1 tso off
check_eq "nb1: tcp-segmentation-offload" "$(ethtool_feature "$NS1" nb1 tcp-segmentation-offload)" off
check "IPv4: TCP 1 MiB with TSO off, sha256 matches" \
	xfer notso 10.0.37.2 1048576 5380
big=$(tcpdump_longest "$TMP/notso")
check "TSO off: no frame on the sender longer than the MTU (${big:-none} <= $((MTU + 14)))" \
	test -n "$big" -a "${big:-0}" -le $((MTU + 14))
check "ethtool -K nb1 tso on" ip netns exec "$NS1" ethtool -K nb1 tso on

wb_log "-- TSO over a lossy wire: segments are lost one by one"
check "set nb1 loss 2" "$WBCTL" -n "$NS1" nic set nb1 loss 2
check "IPv4: TCP 1 MiB over 2 % loss, sha256 matches" \
	xfer lossy 10.0.37.2 1048576 5381
lost=$(cdelta X0 X1 wire_lost)
check "nb1 wire_lost > 0 ($lost)" test "$lost" -gt 0
check "set nb1 loss 0" "$WBCTL" -n "$NS1" nic set nb1 loss 0
check_eq "ns2: TCP/IP checksum and header errors +0" "$(tcp_csum_errors "$NS2")" "$E0"

wb_exit

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two cabled wbnics, each in a namespace of its own (cabled in ns1, then
# one moved: the cable goes along), carry ICMP over IPv4 and IPv6 both
# ways, and each end sees every echo with tcpdump; TCP arrives intact over
# both families. The defaults read back (ethtool -i/-g/-l/-c, wbctl nic
# show), and the counters are exact: a burst of raw frames moves the
# sender's tx (stats64, per-queue ethtool, wire_tx) and the receiver's rx by
# exactly its size, and a frame larger than the receiver's buffers is
# counted as rx_oversize = rx_length_errors and not delivered.
#
#  +-------------------------+                 +-------------------------+
#  | ns1                     |                 |                     ns2 |
#  |  nb1 10.0.31.1/24       +---- cable ------+  nb2 10.0.31.2/24       |
#  |      fd00:31::1/64      |                 |      fd00:31::2/64      |
#  +-------------------------+                 +-------------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool ping tcpdump socat ss sha256sum timeout python3
require_module wirebox_nic
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

setup_ns NS1 NS2 || exit $ksft_fail
check "cabled pair nb1 (ns1) <-> nb2 (ns2), up, carrier" \
	wbnic_cabled_pair "$NS1" nb1 "$NS2" nb2 31
bail_on_fail
MAC2=$(link_mac "$NS2" nb2)

wb_log "-- what the driver reports"
check_eq "nb1: ethtool -i driver" \
	"$(ip netns exec "$NS1" ethtool -i nb1 | awk '$1 == "driver:" { print $2 }')" \
	wirebox_nic
for d in "$NS1 nb1" "$NS2 nb2"; do
	read -r ns dev <<<"$d"
	check "$dev: ethtool says Link detected: yes" \
		sh -c "ip netns exec $ns ethtool $dev | grep -q 'Link detected: yes'"
	check "$dev: LOWER_UP" \
		sh -c "ip -n $ns link show dev $dev | grep -q 'LOWER_UP'"
done
check_eq "nb1: ring sizes (-g current RX TX)" "$(ethtool_cur "$NS1" nb1 -g RX TX)" "256 256"
check_eq "nb1: ring maximums (-g, first RX)" \
	"$(ip netns exec "$NS1" ethtool -g nb1 | awk '$1 == "RX:" { print $2; exit }')" 4096
check_eq "nb1: channels (-l current Combined)" "$(ethtool_cur "$NS1" nb1 -l Combined)" 1
check_eq "nb1: channel maximum (-l, first Combined)" \
	"$(ip netns exec "$NS1" ethtool -l nb1 | awk '$1 == "Combined:" { print $2; exit }')" 8
check_eq "nb1: coalescing (rx-usecs rx-frames tx-usecs tx-frames)" \
	"$(ethtool_cur "$NS1" nb1 -c rx-usecs rx-frames tx-usecs tx-frames)" "20 32 50 64"

mapfile -t J < <(wbnic_json "$NS1" nb1 ifname peer peer_ifindex peer_netnsid \
	carrier up loopback loss_ppm corrupt_ppm queues queues.0.rx.size \
	queues.0.tx.size)
check_eq "nic show nb1: ifname" "${J[0]}" nb1
check_eq "nic show nb1: peer" "${J[1]}" nb2
check_eq "nic show nb1: peer_ifindex" "${J[2]}" "$(link_ifindex "$NS2" nb2)"
check "nic show nb1: peer_netnsid set (peer in another netns)" test -n "${J[3]}"
check_eq "nic show nb1: carrier up loopback" "${J[4]} ${J[5]} ${J[6]}" "true true false"
check_eq "nic show nb1: loss_ppm corrupt_ppm" "${J[7]} ${J[8]}" "0 0"
check_eq "nic show nb1: queues, rx size, tx size" "${J[9]} ${J[10]} ${J[11]}" "1 256 256"
check_eq "nic show nb2 (from ns2): peer" "$(wbnic_json "$NS2" nb2 peer)" nb1

wb_log "-- ping over IPv4 and IPv6, tcpdump on both ends"
# 3 pings each way and family: 12 requests + 12 replies on each end
# (ip6[40]: the ICMPv6 type, no extension headers; leaves out ND and MLD)
FILTER="icmp or (icmp6 and (ip6[40] == 128 or ip6[40] == 129))"
check "tcpdump listens on nb1" capture_start "$NS1" nb1 24 "$FILTER" "$TMP/cap1"
CAP1=$BG_PID
check "tcpdump listens on nb2" capture_start "$NS2" nb2 24 "$FILTER" "$TMP/cap2"
CAP2=$BG_PID

check "ping ns1 -> ns2" ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.31.2
check "ping ns2 -> ns1" ip netns exec "$NS2" ping -c 3 -i 0.2 -W 5 -q 10.0.31.1
check "ping -6 ns1 -> ns2" ip netns exec "$NS1" ping -6 -c 3 -i 0.2 -W 5 -q fd00:31::2
check "ping -6 ns2 -> ns1" ip netns exec "$NS2" ping -6 -c 3 -i 0.2 -W 5 -q fd00:31::1
check "tcpdump on nb1 saw 24 echo packets" wait "$CAP1"
check "tcpdump on nb2 saw 24 echo packets" wait "$CAP2"

# echoes FILE SRC DST request|reply
echoes() {
	grep -cE "IP6? $2 > $3: ICMP6?,? echo $4" "$1"
}
for f in cap1 cap2; do
	for p in "10.0.31.1 10.0.31.2" "10.0.31.2 10.0.31.1" \
		 "fd00:31::1 fd00:31::2" "fd00:31::2 fd00:31::1"; do
		read -r src dst <<<"$p"
		check_eq "$f: echo requests/replies $src > $dst" \
			"$(echoes "$TMP/$f" "$src" "$dst" request)/$(echoes "$TMP/$f" "$dst" "$src" reply)" 3/3
	done
done

wb_log "-- TCP"
check "TCP 1 MiB ns1 -> ns2 (IPv4), sha256 matches" \
	tcp_xfer "$NS2" 10.0.31.2 "$NS1" 1048576 5001 "$TMP"
check "TCP 512 KiB ns2 -> ns1 (IPv6), sha256 matches" \
	tcp_xfer "$NS1" fd00:31::1 "$NS2" 524288 5002 "$TMP"

wb_log "-- exact counters: a burst of raw frames"
# Silence the stack on both ends (no addresses, IPv6 off), then wait until
# nothing moves: from here on only the test's frames cross the cable.
for d in "$NS1 nb1" "$NS2 nb2"; do
	read -r ns dev <<<"$d"
	ip -n "$ns" addr flush dev "$dev"
	ip -n "$ns" neigh flush dev "$dev" 2>/dev/null
	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
done
quiet() {
	local a b
	a=$(link_attr "$NS2" nb2 statistics/rx_packets)/$(link_attr "$NS1" nb1 statistics/rx_packets)
	sleep 1
	b=$(link_attr "$NS2" nb2 statistics/rx_packets)/$(link_attr "$NS1" nb1 statistics/rx_packets)
	[ "$a" = "$b" ]
}
check "the cable is quiet" wait_for 20 quiet

# shellcheck disable=SC2034 # used through namerefs (counters_snap, cdelta)
declare -A A0 A1 B0 B1
N=200 SIZE=200
counters_snap A0 "$NS1" nb1
counters_snap B0 "$NS2" nb2
check "send $N frames of $SIZE bytes nb1 -> nb2" \
	send_frames "$NS1" nb1 $N $SIZE "$MAC2"
check "nb2 received them" \
	wait_for 10 counter_ge "$NS2" nb2 stat.rx_packets $(( ${B0[stat.rx_packets]:-0} + N ))
sleep 0.5	# anything extra would arrive now, and fail the checks below
counters_snap A1 "$NS1" nb1
counters_snap B1 "$NS2" nb2
for k in stat.tx_packets qsum.tx_packets wire_tx; do
	check_eq "nb1 $k +$N" "$(cdelta A0 A1 $k)" $N
done
check_eq "nb1 stat.tx_bytes +$((N * SIZE))" "$(cdelta A0 A1 stat.tx_bytes)" $((N * SIZE))
check_eq "nb1 qsum.tx_bytes +$((N * SIZE))" "$(cdelta A0 A1 qsum.tx_bytes)" $((N * SIZE))
for k in wire_lost wire_corrupted wire_no_link qsum.tx_drops stat.tx_dropped \
	 stat.rx_packets; do
	check_eq "nb1 $k +0" "$(cdelta A0 A1 $k)" 0
done
for k in stat.rx_packets qsum.rx_packets; do
	check_eq "nb2 $k +$N" "$(cdelta B0 B1 $k)" $N
done
check_eq "nb2 stat.rx_bytes +$((N * SIZE))" "$(cdelta B0 B1 stat.rx_bytes)" $((N * SIZE))
check_eq "nb2 qsum.rx_bytes +$((N * SIZE))" "$(cdelta B0 B1 qsum.rx_bytes)" $((N * SIZE))
for k in rx_missed rx_oversize qsum.rx_missed qsum.rx_drops stat.tx_packets; do
	check_eq "nb2 $k +0" "$(cdelta B0 B1 $k)" 0
done

wb_log "-- frames larger than the receiver's buffers"
# nb1 may send 8000-byte frames (MTU 9000); nb2, at MTU 1500, has buffers
# smaller than that: its hardware drops them as oversize.
check "nb1 MTU 9000" ip -n "$NS1" link set dev nb1 mtu 9000
check "nb1 link ready after the MTU change" wait_for 10 link_ready "$NS1" nb1
check "nb2 link ready after nb1's MTU change" wait_for 10 link_ready "$NS2" nb2
counters_snap B0 "$NS2" nb2
check "send 5 frames of 8000 bytes nb1 -> nb2" send_frames "$NS1" nb1 5 8000 "$MAC2"
check "nb2 counts them as rx_oversize" \
	wait_for 10 counter_ge "$NS2" nb2 rx_oversize $(( ${B0[rx_oversize]:-0} + 5 ))
sleep 0.5
counters_snap B1 "$NS2" nb2
check_eq "nb2 rx_oversize +5" "$(cdelta B0 B1 rx_oversize)" 5
check_eq "nb2 stat.rx_length_errors +5 (= rx_oversize)" "$(cdelta B0 B1 stat.rx_length_errors)" 5
check_eq "nb2 stat.rx_packets +0" "$(cdelta B0 B1 stat.rx_packets)" 0

wb_log "-- stats64 and ethtool -S agree"
declare -A X
for d in "$NS1 nb1" "$NS2 nb2"; do
	read -r ns dev <<<"$d"
	counters_snap X "$ns" "$dev"
	check_eq "$dev: rx_missed_errors = rx_missed" \
		"${X[stat.rx_missed_errors]:-none}" "${X[rx_missed]:-none}"
	check_eq "$dev: rx_length_errors = rx_oversize" \
		"${X[stat.rx_length_errors]:-none}" "${X[rx_oversize]:-none}"
	check_eq "$dev: tx_carrier_errors = wire_no_link" \
		"${X[stat.tx_carrier_errors]:-none}" "${X[wire_no_link]:-none}"
done

wb_exit

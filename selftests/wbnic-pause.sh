#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IEEE 802.3x flow control between two cabled wbnics (ethtool -a/-A):
#  - on both ways by default, no autonegotiation (-A autoneg on fails);
#  - a burst into a 64-descriptor RX ring polled once a second (IRQ
#    deferral: napi_defer_hard_irqs, gro_flush_timeout):
#    with pause, nr2 sends XOFF, nr1 holds the frames in its TX ring and
#    sends them after XON: every frame arrives, none is missed, and the
#    XOFF/XON counters of both ends (ethtool -S, ethtool -I -a) agree;
#  - nr1 ignoring pause (-A rx off): nr2 still counts its XOFF, the
#    frames that do not fit are missed; nr2 not sending it (-A tx off):
#    missed, no XOFF;
#  - a 4 MiB TCP transfer into the 64-descriptor ring polled every 200 ms
#    (TSO segments held mid-frame): intact, nothing missed;
#  - the cable pulled, and the receiver taken down, while nr1 is held:
#    every frame nr1 sent is accounted for (on the wire or dropped for
#    want of a link), its queue is not left stopped, and the link works
#    again afterwards.
#
#  +--------------------+                +--------------------+
#  | ns1                |                |                ns2 |
#  |  nr1 10.0.36.1/24  +----- cable ----+  nr2 10.0.36.2/24  |
#  +--------------------+                +--------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool ping socat ss sha256sum timeout python3 nstat
require_module wirebox_nic
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

setup_ns NS1 NS2 || exit $ksft_fail
ipv6_off "$NS1" "$NS2"
check "cabled pair nr1 (ns1) <-> nr2 (ns2), up, carrier" \
	wbnic_cabled_pair "$NS1" nr1 "$NS2" nr2 36
bail_on_fail
MAC2=$(link_mac "$NS2" nr2)
check "pin the neighbours (no ARP in the counts)" \
	neigh_pin "$NS1" nr1 10.0.36.1 "$NS2" nr2 10.0.36.2

# shellcheck disable=SC2034 # used through namerefs (counters_snap, cdelta)
declare -A A0 A1 B0 B1

# pause NS DEV: "autoneg rx tx" as ethtool -a shows them (on/off)
pause() {
	ethtool_ns "$1" "$2" -a | awk '
		$1 == "Autonegotiate:" { a = $2 } $1 == "RX:" { r = $2 }
		$1 == "TX:" { t = $2 } END { print a, r, t }'
}

# pause_frames NS DEV tx|rx: ethtool -I -a's tx_pause_frames/rx_pause_frames
pause_frames() {
	ip netns exec "$1" ethtool -I -a "$2" 2>/dev/null |
		awk -v k="$3_pause_frames:" '$1 == k { print $2 }'
}

carrier_both() {
	wait_for 10 link_ready "$NS1" nr1 && wait_for 10 link_ready "$NS2" nr2
}

snap() {
	counters_snap A"$1" "$NS1" nr1
	counters_snap B"$1" "$NS2" nr2
}

# burst N: N frames nr1 -> nr2; waits until nr2 received or missed them all
burst() {
	snap 0
	send_frames "$NS1" nr1 "$1" 128 "$MAC2" || return 1
	wait_for 30 rx_accounted "$NS2" nr2 $(( ${B0[stat.rx_packets]:-0} + ${B0[rx_missed]:-0} + $1 )) ||
		wb_log "burst: nr2 received or missed fewer than $1"
	sleep 0.5
	snap 1
	wb_log "nr2: rx +$(cdelta B0 B1 stat.rx_packets) missed +$(cdelta B0 B1 rx_missed)" \
	       "xoff sent +$(cdelta B0 B1 tx_flow_control_xoff) xon sent +$(cdelta B0 B1 tx_flow_control_xon);" \
	       "nr1: xoff received +$(cdelta A0 A1 rx_flow_control_xoff) xon received +$(cdelta A0 A1 rx_flow_control_xon)"
}

wb_log "-- defaults"
check_eq "nr1: ethtool -a: autoneg off, rx on, tx on" "$(pause "$NS1" nr1)" "off on on"
check_eq "nr2: ethtool -a: autoneg off, rx on, tx on" "$(pause "$NS2" nr2)" "off on on"
check_fail "nr1: ethtool -A autoneg on is refused" ethtool_ns "$NS1" nr1 -A autoneg on
check_eq "... and changes nothing" "$(pause "$NS1" nr1)" "off on on"
check "nr1: ethtool -A rx off tx off" ethtool_ns "$NS1" nr1 -A rx off tx off
check_eq "nr1: ethtool -a: rx off, tx off" "$(pause "$NS1" nr1)" "off off off"
check "nr1: ethtool -A rx on tx on" ethtool_ns "$NS1" nr1 -A rx on tx on
check_eq "nr1: ethtool -a: rx on, tx on again" "$(pause "$NS1" nr1)" "off on on"

wb_log "-- a burst into a starved RX ring"
N=600
check "nr1: ethtool -G tx 4096 (the TX ring holds the burst)" ethtool_ns "$NS1" nr1 -G tx 4096
check "nr2: ethtool -G rx 64" ethtool_ns "$NS2" nr2 -G rx 64
check "carrier after the ring changes" carrier_both
bql_off "$NS1" nr1
# nr2 polls once a second, its interrupt masked (IRQ deferral): the ring
# fills between polls unless nr1 sends fewer than 64 frames a second (a
# long rx-usecs would not do: work that arrives during a poll fires on
# unmask). 200 ms was too short for the debug kernel's sender: ~60
# frames a poll, no XOFF and nothing missed.
POLL=1000000000
check "nr2: IRQ deferral, a poll every second" \
	napi_defer "$NS2" nr2 1000000 "$POLL"

pf_tx=$(pause_frames "$NS2" nr2 tx) pf_rx=$(pause_frames "$NS1" nr1 rx)
check "send $N frames nr1 -> nr2, pause on" burst $N
check_eq "nr2 received all $N" "$(cdelta B0 B1 stat.rx_packets)" $N
check_eq "nr2 rx_missed +0" "$(cdelta B0 B1 rx_missed)" 0
check_eq "nr1 wire_tx +$N" "$(cdelta A0 A1 wire_tx)" $N
xoff=$(cdelta B0 B1 tx_flow_control_xoff) xon=$(cdelta B0 B1 tx_flow_control_xon)
check "nr2 sent XOFF (+$xoff)" test "$xoff" -gt 0
check "... and XON after each (+$xon)" test "$xon" = "$xoff"
check_eq "nr1 received the XOFFs" "$(cdelta A0 A1 rx_flow_control_xoff)" "$xoff"
check_eq "nr1 received the XONs" "$(cdelta A0 A1 rx_flow_control_xon)" "$xon"
if [ -n "$pf_tx" ]; then
	check_eq "ethtool -I -a: nr2 tx_pause_frames +$((xoff + xon))" \
		$(( $(pause_frames "$NS2" nr2 tx) - pf_tx )) $((xoff + xon))
	check_eq "ethtool -I -a: nr1 rx_pause_frames +$((xoff + xon))" \
		$(( $(pause_frames "$NS1" nr1 rx) - pf_rx )) $((xoff + xon))
else
	wb_log "ethtool -I -a shows no pause statistics: not checked"
fi
check_eq "nic show: nr1 queue 0 tx.stopped" "$(wbnic_json "$NS1" nr1 queues.0.tx.stopped)" false

check "nr1: ethtool -A rx off (ignore PAUSE)" ethtool_ns "$NS1" nr1 -A rx off
check "send $N frames nr1 -> nr2, nr1 ignores pause" burst $N
m=$(cdelta B0 B1 rx_missed)
check "nr2 missed some (+$m)" test "$m" -gt 0
check_eq "received + missed = sent" "$(( $(cdelta B0 B1 stat.rx_packets) + m ))" $N
xoff=$(cdelta B0 B1 tx_flow_control_xoff)
check "nr2 sent XOFF all the same (+$xoff)" test "$xoff" -gt 0
check_eq "nr1 received it" "$(cdelta A0 A1 rx_flow_control_xoff)" "$xoff"

check "nr1: ethtool -A rx on" ethtool_ns "$NS1" nr1 -A rx on
check "nr2: ethtool -A tx off (send no PAUSE)" ethtool_ns "$NS2" nr2 -A tx off
check "send $N frames nr1 -> nr2, nr2 sends no pause" burst $N
m=$(cdelta B0 B1 rx_missed)
check "nr2 missed some (+$m)" test "$m" -gt 0
check_eq "received + missed = sent" "$(( $(cdelta B0 B1 stat.rx_packets) + m ))" $N
check_eq "nr2 XOFF +0" "$(cdelta B0 B1 tx_flow_control_xoff)" 0
check_eq "nr1 XOFF received +0" "$(cdelta A0 A1 rx_flow_control_xoff)" 0
check "nr2: ethtool -A tx on" ethtool_ns "$NS2" nr2 -A tx on

wb_log "-- TCP into a 64-descriptor RX ring"
# nr2 polls every 200 ms: 63 segments a poll, so nr1 overruns the ring as
# soon as TCP's window is past 64 segments, however slowly the kernel runs
# (without deferral the debug kernel's receiver kept up: no XOFF)
check "nr2: IRQ deferral, a poll every 200 ms" \
	napi_defer "$NS2" nr2 1000000 200000000
snap 0
retr0=$(ip netns exec "$NS1" nstat -az TcpRetransSegs | awk 'NR > 1 { print $2 }')
check "4 MiB nr1 -> nr2, sha256 equal" \
	tcp_xfer "$NS2" 10.0.36.2 "$NS1" $((4 << 20)) 5201 "$TMP"
sleep 0.5
snap 1
retr=$(( $(ip netns exec "$NS1" nstat -az TcpRetransSegs | awk 'NR > 1 { print $2 }') - retr0 ))
wb_log "nr2: rx +$(cdelta B0 B1 stat.rx_packets), XOFF +$(cdelta B0 B1 tx_flow_control_xoff);" \
       "nr1: TSO segments held mid-frame and resumed; TCP retransmitted +$retr"
check_eq "nr2 rx_missed +0" "$(cdelta B0 B1 rx_missed)" 0
check "nr2 ran out of descriptors and sent XOFF (+$(cdelta B0 B1 tx_flow_control_xoff))" \
	test "$(cdelta B0 B1 tx_flow_control_xoff)" -gt 0
check_eq "nr2 rx_dropped +0" "$(cdelta B0 B1 stat.rx_dropped)" 0
check "nr2: IRQ deferral off" napi_defer "$NS2" nr2 0 0

# drained PID: the send in the background (PID) is over and nr1's TX ring
# is empty: every descriptor reclaimed
drained() {
	! kill -0 "$1" 2>/dev/null &&
		[ "$(wbnic_json "$NS1" nr1 queues.0.tx.inflight)" = 0 ]
}

# held_then WHAT UNDO: a burst held by pause (nr1's TX ring, 4096, holds
# it all); the shell command WHAT while nr1 holds it, then the checks,
# then UNDO. nr2 polls once a second (IRQ deferral), so a refill, and
# with it the XON, comes up to a second after each XOFF: 63 frames a
# poll, 1000 frames would take 16 s, and nr1 is held nearly all that
# time however fast it sends (with 200 ms polls the debug kernel's slow
# sender was hardly ever held: all 4000 frames were out before the pull).
held_then() {
	local what=$1 undo=$2 pid n=1000 rc=0

	napi_defer "$NS2" nr2 1000000 "$POLL" || return 1
	snap 0
	send_frames "$NS1" nr1 "$n" 128 "$MAC2" &
	pid=$!
	wait_for 20 counter_ge "$NS2" nr2 tx_flow_control_xoff \
		$(( ${B0[tx_flow_control_xoff]:-0} + 1 )) || { wb_log "no XOFF seen"; rc=1; }
	eval "$what" || { wb_log "'$what' failed"; rc=1; }
	wait_for 60 drained "$pid" || { wb_log "nr1 did not drain"; rc=1; }
	wait "$pid"	# frames sent without carrier vanish in the noop qdisc
	snap 1
	wb_log "nr1: driver sent +$(cdelta A0 A1 tx_queue_0_packets)," \
	       "on the wire +$(cdelta A0 A1 wire_tx), no link +$(cdelta A0 A1 wire_no_link);" \
	       "nr2: rx +$(cdelta B0 B1 stat.rx_packets) missed +$(cdelta B0 B1 rx_missed)"
	# each frame the driver handed to the device went on the wire or
	# was dropped for want of a link
	[ "$(cdelta A0 A1 tx_queue_0_packets)" = \
	  $(( $(cdelta A0 A1 wire_tx) + $(cdelta A0 A1 wire_no_link) )) ] ||
		{ wb_log "sent != on the wire + no link"; rc=1; }
	[ "$(cdelta A0 A1 wire_no_link)" -gt 0 ] ||
		{ wb_log "no frame met the link down: the pull came too late"; rc=1; }
	[ "$(wbnic_json "$NS1" nr1 queues.0.tx.stopped)" = false ] ||
		{ wb_log "nr1 queue 0 left stopped"; rc=1; }
	napi_defer "$NS2" nr2 0 0 || rc=1
	eval "$undo" || { wb_log "'$undo' failed"; rc=1; }
	carrier_both || rc=1
	return "$rc"
}

wb_log "-- the cable pulled, the receiver taken down, while nr1 is held"
check "pull the cable while held: every frame accounted, queue running" \
	held_then "'$WBCTL' -n '$NS1' nic uncable nr1" \
		  "'$WBCTL' -n '$NS1' nic cable nr1 nr2 netns '$NS2'"
check "ping ns1 -> ns2 after cabling again" \
	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.36.2
check "nr2 down while held: every frame accounted, queue running" \
	held_then "ip -n '$NS2' link set nr2 down" "ip -n '$NS2' link set nr2 up"
check "ping ns1 -> ns2 after nr2 came back" \
	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.36.2

wb_exit

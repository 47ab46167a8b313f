#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The descriptor rings of a wbnic under pressure:
#  - RX starvation: a 64-descriptor RX ring whose interrupt is held back
#    (long rx-usecs, rx-frames beyond the ring, IRQ deferral) and that
#    sends no PAUSE (ethtool -A tx off) overflows under a burst;
#    what does not fit is counted as rx_missed (= rx_queue_0_missed =
#    stats64 rx_missed_errors = wbctl's queue rx.missed), every frame is
#    either received or missed, and the NIC works again afterwards;
#  - TX ring full: a 64-descriptor TX ring whose engine the receiver holds
#    with PAUSE stops the queue (BQL lifted, so that the ring is the
#    limit) and is woken again, no frame is lost and the queue is not
#    left stopped;
#  - ethtool -G on nr1 while frames wait in its qdisc behind a queue that
#    PAUSE keeps stopped: the backlog drains with nothing more sent (the
#    driver wakes its queues after a reconfiguration), and every frame
#    arrives but those dropped from the old ring;
#  - ethtool -G on both ends, five times, during a TCP transfer (2 MiB or
#    more, until the last resize): the data arrives intact and ethtool -g /
#    wbctl nic show report the sizes last set.
#
#  +--------------------+                +--------------------+
#  | ns1                |                |                ns2 |
#  |  nr1 10.0.33.1/24  +----- cable ----+  nr2 10.0.33.2/24  |
#  +--------------------+                +--------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool ping socat ss sha256sum timeout python3
require_module wirebox_nic
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

setup_ns NS1 NS2 || exit $ksft_fail
ipv6_off "$NS1" "$NS2"
check "cabled pair nr1 (ns1) <-> nr2 (ns2), up, carrier" \
	wbnic_cabled_pair "$NS1" nr1 "$NS2" nr2 33
bail_on_fail
MAC2=$(link_mac "$NS2" nr2)
check "pin the neighbours (no ARP in the counts)" \
	neigh_pin "$NS1" nr1 10.0.33.1 "$NS2" nr2 10.0.33.2

# shellcheck disable=SC2034 # used through namerefs (counters_snap, cdelta)
declare -A A0 A1 B0 B1

carrier_both() {
	wait_for 10 link_ready "$NS1" nr1 && wait_for 10 link_ready "$NS2" nr2
}

wb_log "-- RX ring starvation"
N=600
check "nr1: ethtool -G tx 4096 (the sender is not the limit)" ethtool_ns "$NS1" nr1 -G tx 4096
check "nr2: ethtool -G rx 64" ethtool_ns "$NS2" nr2 -G rx 64
# no flow control: a full ring would make nr1 hold the frames back
# (wbnic-pause.sh) instead of nr2 missing them
check "nr2: ethtool -A tx off (sends no PAUSE)" ethtool_ns "$NS2" nr2 -A tx off
check "carrier after the ring changes" carrier_both
bql_off "$NS1" nr1
set=$(ethtool_try "$NS2" nr2 -C \
	"rx-usecs 60000 rx-frames 1024" "rx-usecs 20000 rx-frames 1024" \
	"rx-usecs 60000 rx-frames 256" "rx-usecs 20000 rx-frames 256" \
	"rx-usecs 10000 rx-frames 128" "rx-usecs 10000 rx-frames 64" \
	"rx-usecs 5000 rx-frames 64")
check "nr2: interrupt held back (${set:-no setting accepted})" test -n "$set"
# and a poll that ends leaves the vector masked for 1 s (IRQ deferral):
# the ring overflows even where the sender is slower than the longest
# rx-usecs (a debug kernel sends ~300 frames/s)
check "nr2: IRQ deferral, the next poll 1 s after one that ended" \
	napi_defer "$NS2" nr2 2 1000000000
counters_snap A0 "$NS1" nr1
counters_snap B0 "$NS2" nr2
check "send $N frames nr1 -> nr2" send_frames "$NS1" nr1 $N 128 "$MAC2"
check "nr2 received or missed every one" \
	wait_for 20 rx_accounted "$NS2" nr2 $(( ${B0[stat.rx_packets]:-0} + ${B0[rx_missed]:-0} + N ))
sleep 0.5
counters_snap A1 "$NS1" nr1
counters_snap B1 "$NS2" nr2
m=$(cdelta B0 B1 rx_missed) r=$(cdelta B0 B1 stat.rx_packets)
wb_log "nr2: received +$r, missed +$m"
check "rx_missed grew (+$m)" test "$m" -gt 0
check_eq "received + missed = sent" "$((r + m))" $N
check_eq "rx_queue_0_missed +$m" "$(cdelta B0 B1 rx_queue_0_missed)" "$m"
check_eq "stats64 rx_missed_errors +$m" "$(cdelta B0 B1 stat.rx_missed_errors)" "$m"
check_eq "nic show: queue 0 rx.missed = rx_queue_0_missed" \
	"$(wbnic_json "$NS2" nr2 queues.0.rx.missed)" "${B1[rx_queue_0_missed]:-none}"
check_eq "nr1 wire_tx +$N" "$(cdelta A0 A1 wire_tx)" $N
check_eq "nr1 wire_lost +0" "$(cdelta A0 A1 wire_lost)" 0

check "nr2: IRQ deferral off" napi_defer "$NS2" nr2 0 0
check "nr2: coalescing back to 20/32" ethtool_ns "$NS2" nr2 -C rx-usecs 20 rx-frames 32
check "nr2: ethtool -A tx on" ethtool_ns "$NS2" nr2 -A tx on
check "nr2: ring back to 256" ethtool_ns "$NS2" nr2 -G rx 256
check "carrier after the ring change" carrier_both
check "ping ns1 -> ns2 after the starvation" \
	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.33.2

wb_log "-- TX ring full: the queue stops and wakes"
N=500
# What holds nr1's ring full is nr2's PAUSE, not the sender's speed: nr2
# has a 64-descriptor RX ring polled once a second (IRQ deferral; it arms
# because nr2 receives), so nr1's TX engine stops in front of each frame
# that does not fit and its 64 descriptors stay unfinished until the XON.
# (Long tx-usecs and IRQ deferral on nr1 did not do it: a debug kernel's
# sender put out ~18 frames per 60 ms interrupt, and the deferral never
# arms on a NAPI whose polls receive nothing.)
check "nr2: ethtool -G rx 64" ethtool_ns "$NS2" nr2 -G rx 64
check "nr1: ethtool -G tx 64" ethtool_ns "$NS1" nr1 -G tx 64
check "carrier after the ring changes" carrier_both
check "nr2: IRQ deferral, a poll every second" \
	napi_defer "$NS2" nr2 1000000 1000000000
# only the ring may stop the queue, not BQL; and a plain FIFO holds what
# the stopped queue cannot take (fq_codel, the usual default, would drop
# what waits longer than its 5 ms target)
bql_off "$NS1" nr1
check "nr1: pfifo qdisc" ip netns exec "$NS1" tc qdisc replace dev nr1 root pfifo limit 1000
on_exit "ip netns exec $NS1 tc qdisc del dev nr1 root"
counters_snap A0 "$NS1" nr1
counters_snap B0 "$NS2" nr2
# a send buffer for all of them: the socket must not wait for the ring
WB_FRAME_SNDBUF=4194304 check "send $N frames nr1 -> nr2, held by PAUSE" \
	send_frames "$NS1" nr1 $N 128 "$MAC2"
# 64 frames a second get through
check "nr2 received all" \
	wait_for 30 counter_ge "$NS2" nr2 stat.rx_packets $(( ${B0[stat.rx_packets]:-0} + N ))
sleep 0.5
counters_snap A1 "$NS1" nr1
counters_snap B1 "$NS2" nr2
s=$(cdelta A0 A1 tx_queue_0_stops) w=$(cdelta A0 A1 tx_queue_0_wakes)
wb_log "nr1: tx_queue_0 stops +$s, wakes +$w, xoff received" \
       "+$(cdelta A0 A1 rx_flow_control_xoff); nr2: xoff sent" \
       "+$(cdelta B0 B1 tx_flow_control_xoff), polls +$(cdelta B0 B1 queue_0_polls)"
check "nr2 held nr1 with PAUSE (xoff +$(cdelta B0 B1 tx_flow_control_xoff))" \
	test "$(cdelta B0 B1 tx_flow_control_xoff)" -gt 0
check "the TX queue stopped (+$s)" test "$s" -gt 0
# a stop undone at once in xmit (the cleaner freed room meanwhile) counts
# no wake: wakes may fall short of stops, never exceed them
check "... and was woken (+$w, at most +$s)" test "$w" -gt 0 -a "$w" -le "$s"
check_eq "nr1 tx_queue_0_packets +$N" "$(cdelta A0 A1 tx_queue_0_packets)" $N
check_eq "nr1 tx_queue_0_drops +0" "$(cdelta A0 A1 tx_queue_0_drops)" 0
check_eq "nr2 rx +$N" "$(cdelta B0 B1 stat.rx_packets)" $N
check_eq "nr2 rx_missed +0" "$(cdelta B0 B1 rx_missed)" 0
check_eq "nic show: nr1 queue 0 tx.stopped" "$(wbnic_json "$NS1" nr1 queues.0.tx.stopped)" false

# qdisc_backlog NS DEV: packets waiting in DEV's root qdisc
qdisc_backlog() {
	ip netns exec "$1" tc -s qdisc show dev "$2" root |
		awk '$1 == "backlog" { sub("p", "", $3); print $3; exit }'
}

backlog_is() {
	[ "$(qdisc_backlog "$NS1" nr1)" = "$1" ]
}

backlog_over() {
	[ "$(qdisc_backlog "$NS1" nr1)" -gt "$1" ] 2>/dev/null
}

# A ring resize while frames wait in the qdisc behind the stopped queue:
# the reconfiguration stops the queues, drops what the old ring had not
# sent, and must set the qdisc going again. A driver that only clears the
# stop bit (netif_tx_start_all_queues) leaves the backlog waiting for the
# next frame anybody sends: a TCP transfer across ethtool -G stalled for
# a minute so (a CI run of 2026-12-03). To keep a backlog there whatever
# the kernel's speed, nr2 still holds nr1 with PAUSE as in the last part.
wb_log "-- a resize while frames wait in the qdisc (nr2 holds nr1 as above)"
counters_snap A0 "$NS1" nr1
counters_snap B0 "$NS2" nr2
# a send buffer for all of them: the socket must not wait for the ring
WB_FRAME_SNDBUF=4194304 check "send $N frames nr1 -> nr2, held by PAUSE" \
	send_frames "$NS1" nr1 $N 128 "$MAC2"
check "frames wait in nr1's qdisc" wait_for 10 backlog_over 0
wb_log "nr1: $(qdisc_backlog "$NS1" nr1) frames in the qdisc at the resize"
check "nr1: ethtool -G tx 128 meanwhile" ethtool_ns "$NS1" nr1 -G tx 128
# nothing else is sent: only the driver's wake can drain the qdisc
check "the qdisc drains by itself" wait_for 15 backlog_is 0
check "nr2: IRQ deferral off" napi_defer "$NS2" nr2 0 0
sleep 1
counters_snap A1 "$NS1" nr1
counters_snap B1 "$NS2" nr2
wb_log "nr2: xoff sent +$(cdelta B0 B1 tx_flow_control_xoff), polls" \
       "+$(cdelta B0 B1 queue_0_polls); nr1: xoff received" \
       "+$(cdelta A0 A1 rx_flow_control_xoff), stops +$(cdelta A0 A1 tx_queue_0_stops)"
# what PAUSE held in nr1's ring at the resize is dropped: freed with the
# old ring (tx_queue_0_drops), or, if the pause time ran out after the
# link went down and before the ring was disabled, sent to no link
# (wire_no_link)
d=$(cdelta A0 A1 tx_queue_0_drops) nl=$(cdelta A0 A1 wire_no_link)
wb_log "nr2: rx +$(cdelta B0 B1 stat.rx_packets) missed +$(cdelta B0 B1 rx_missed);" \
       "nr1: dropped by the resize +$d, sent to no link +$nl"
check_eq "nr2 received every frame the resize did not drop" \
	"$(( $(cdelta B0 B1 stat.rx_packets) + d + nl ))" $N

ip netns exec "$NS1" tc qdisc del dev nr1 root
check "nr1: ring back to 256" ethtool_ns "$NS1" nr1 -G tx 256
check "nr2: ring back to 256" ethtool_ns "$NS2" nr2 -G rx 256
check "carrier after the ring changes" carrier_both
bail_on_fail

wb_log "-- ethtool -G during a TCP transfer"
# a stalled transfer (tcp_xfer's report): both NICs' queues, counters and
# qdiscs
xfer_stall_hook() { wbnic_report "$NS1" nr1 "$NS2" nr2; }
if xfer_start "$NS2" 10.0.33.2 "$NS1" 2097152 5001 "$TMP"; then
	wb_log "transfer running"
else
	wb_log "the transfer was not seen running (over already, or failed)"
fi
during=0 failed=0
# nr1 RX/TX, then nr2 the other way round
for s in "64 128" "1024 512" "128 4096" "4096 64" "512 1024"; do
	read -r r t <<<"$s"
	kill -0 "$XFER_PID" 2>/dev/null && during=$((during + 1))
	ethtool_ns "$NS1" nr1 -G rx "$r" tx "$t" || failed=$((failed + 1))
	ethtool_ns "$NS2" nr2 -G rx "$t" tx "$r" || failed=$((failed + 1))
	sleep 0.3
done
check_eq "every resize accepted" "$failed" 0
check_eq "every resize made while the transfer ran" "$during" 5
check "TCP ns1 -> ns2 across the resizes, sha256 matches" xfer_end 5001 "$TMP"
wb_log "bytes sent: $(stat -c %s "$TMP/tx.5001" 2>/dev/null || echo none)"
check_eq "nr1: ethtool -g current RX TX" "$(ethtool_cur "$NS1" nr1 -g RX TX)" "512 1024"
check_eq "nr2: ethtool -g current RX TX" "$(ethtool_cur "$NS2" nr2 -g RX TX)" "1024 512"
check_eq "nic show nr1: queue 0 rx.size tx.size" \
	"$(wbnic_json "$NS1" nr1 queues.0.rx.size queues.0.tx.size | paste -sd ' ')" "512 1024"
check "carrier after the resizes" carrier_both
check "ping ns2 -> ns1 after the resizes" \
	ip netns exec "$NS2" ping -c 3 -i 0.2 -W 5 -q 10.0.33.1

wb_exit

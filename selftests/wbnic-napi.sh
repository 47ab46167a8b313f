#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Interrupts and NAPI on the receiving wbnic, with raw frames only (no
# addresses, IPv6 off: nothing else crosses the cable):
#  - coalescing off (rx-usecs 0, rx-frames 0): frames that arrive one at a
#    time raise one interrupt each, each poll completes;
#  - rx-frames 16 and a long rx-usecs: a fast burst raises a handful of
#    interrupts, far fewer than the frames it carries;
#  - a burst coalesced into interrupts of more than 64 frames (a large RX
#    ring, large rx-frames, IRQ deferral): the poll uses its whole budget
#    of 64 and NAPI runs it again (budget_exhausted grows, polls exceed
#    interrupts), and every frame is received: re-polled, not dropped;
#  - afterwards the vector is unmasked again (wbctl nic show) and a ping
#    gets through with the defaults back.
#
#  +--------------------+                +--------------------+
#  | ns1                |                |                ns2 |
#  |  na1 10.0.32.1/24  +----- cable ----+  na2 10.0.32.2/24  |
#  +--------------------+                +--------------------+
#        sender                               receiver

source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool ping python3
require_module wirebox_nic
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"

setup_ns NS1 NS2 || exit $ksft_fail
ipv6_off "$NS1" "$NS2"
check "cabled pair na1 (ns1) <-> na2 (ns2), up, carrier" \
	wbnic_cabled_pair "$NS1" na1 "$NS2" na2 32
bail_on_fail
MAC2=$(link_mac "$NS2" na2)

# shellcheck disable=SC2034 # used through namerefs (counters_snap, cdelta)
declare -A R0 R1

# burst N [GAP]: send N frames of 128 bytes na1 -> na2 (GAP seconds apart)
# between two snapshots of na2's counters (R0, R1), once all arrived.
burst() {
	local n=$1 gap=${2:-0}
	counters_snap R0 "$NS2" na2
	WB_FRAME_GAP=$gap send_frames "$NS1" na1 "$n" 128 "$MAC2" || return 1
	wait_for 15 counter_ge "$NS2" na2 stat.rx_packets \
		$(( ${R0[stat.rx_packets]:-0} + n )) || true
	# the last poll may still be running: let it complete; with IRQ
	# deferral the NAPI completes only after its deferred polls (1 s
	# apart), which a fast VM's snapshot came before (completes +0 on
	# 6.1, CI of 2026-12-03)
	sleep 0.5
	wait_for 5 counter_ge "$NS2" na2 napi_completes \
		$(( ${R0[napi_completes]:-0} + 1 )) || true
	counters_snap R1 "$NS2" na2
	wb_log "na2 after $n frames: rx +$(cdelta R0 R1 stat.rx_packets)" \
	       "missed +$(cdelta R0 R1 rx_missed) irqs +$(cdelta R0 R1 irqs)" \
	       "polls +$(cdelta R0 R1 polls) completes +$(cdelta R0 R1 napi_completes)" \
	       "budget_exhausted +$(cdelta R0 R1 budget_exhausted)"
}

# the largest rx-usecs na2 takes, with rx-frames FRAMES
long_coalescing() {	# FRAMES...
	local f sets=()
	for f in "$@"; do
		sets+=("rx-usecs 60000 rx-frames $f" "rx-usecs 20000 rx-frames $f"
		       "rx-usecs 10000 rx-frames $f" "rx-usecs 5000 rx-frames $f")
	done
	ethtool_try "$NS2" na2 -C "${sets[@]}"
}

ready() {
	wait_for 10 link_ready "$NS1" na1 && wait_for 10 link_ready "$NS2" na2
}

# A's TX ring and byte queue limit must not be what limits a burst
check "na1: ethtool -G tx 1024" ip netns exec "$NS1" ethtool -G na1 tx 1024
check "link ready after the ring change" ready
bql_off "$NS1" na1

wb_log "-- coalescing off: one interrupt per frame"
check "na2: ethtool -C rx-usecs 0 rx-frames 0" \
	ip netns exec "$NS2" ethtool -C na2 rx-usecs 0 rx-frames 0
check "10 frames, 0.2 s apart" burst 10 0.2
check_eq "rx +10" "$(cdelta R0 R1 stat.rx_packets)" 10
check_eq "irqs +10 (one per frame)" "$(cdelta R0 R1 irqs)" 10
check_eq "queue_0_irqs +10" "$(cdelta R0 R1 queue_0_irqs)" 10
check_eq "napi_completes +10" "$(cdelta R0 R1 napi_completes)" 10
check_eq "budget_exhausted +0" "$(cdelta R0 R1 budget_exhausted)" 0
p=$(cdelta R0 R1 polls)
check "polls +$p >= 10" test "$p" -ge 10

wb_log "-- coalescing: fewer interrupts than frames"
set=$(long_coalescing 16)
check "na2: long rx-usecs, rx-frames 16 (${set:-none accepted})" test -n "$set"
check "64 frames at once" burst 64
check_eq "rx +64" "$(cdelta R0 R1 stat.rx_packets)" 64
i=$(cdelta R0 R1 irqs)
# 4 interrupts at 16 frames each, one more for a rest the timer delivers;
# up to 8 for slack. Without coalescing a fast burst still masks the vector
# while polling, but on a slow machine it would take about one per frame.
check "irqs +$i: 1..8 for 64 frames" test "$i" -ge 1 -a "$i" -le 8
check "irqs +$i < frames received" test "$i" -lt "$(cdelta R0 R1 stat.rx_packets)"

wb_log "-- bursts beyond the NAPI budget: re-polled, not dropped"
check "na2: ethtool -G rx 1024" ip netns exec "$NS2" ethtool -G na2 rx 1024
check "link ready after the ring change" ready
set=$(long_coalescing 512 256 128)
check "na2: long rx-usecs, rx-frames > 64 (${set:-none accepted})" test -n "$set"
# and a poll that ends below the budget leaves the vector masked for 1 s
# (IRQ deferral): the burst piles up in the ring even where the sender is
# slower than the longest rx-usecs (a debug kernel sends ~300 frames/s)
check "na2: IRQ deferral, the next poll 1 s after one that ended" \
	napi_defer "$NS2" na2 2 1000000000
check "600 frames at once" burst 600
check_eq "rx +600: all of them" "$(cdelta R0 R1 stat.rx_packets)" 600
check_eq "rx_queue_0_packets +600" "$(cdelta R0 R1 rx_queue_0_packets)" 600
check_eq "rx_missed +0" "$(cdelta R0 R1 rx_missed)" 0
check_eq "rx_queue_0_drops +0" "$(cdelta R0 R1 rx_queue_0_drops)" 0
e=$(cdelta R0 R1 budget_exhausted)
check "budget_exhausted +$e > 0" test "$e" -gt 0
check_eq "queue_0_budget_exhausted = budget_exhausted" \
	"$(cdelta R0 R1 queue_0_budget_exhausted)" "$e"
p=$(cdelta R0 R1 polls) i=$(cdelta R0 R1 irqs) c=$(cdelta R0 R1 napi_completes)
check "polls +$p > irqs +$i (NAPI re-ran polls)" test "$p" -gt "$i"
check "polls +$p >= completes +$c + exhausted +$e" test "$p" -ge $((c + e))
check "completes +$c >= 1" test "$c" -ge 1

wb_log "-- idle again"
check "na2: IRQ deferral off" napi_defer "$NS2" na2 0 0
check "na2: coalescing back to 20/32" \
	ip netns exec "$NS2" ethtool -C na2 rx-usecs 20 rx-frames 32
check "na2: ring back to 256" ip netns exec "$NS2" ethtool -G na2 rx 256
check "link ready after the ring change" ready
check_eq "na2 queue 0 vector unmasked, no timer, nothing pending" \
	"$(wbnic_json "$NS2" na2 queues.0.irq.masked queues.0.irq.timer \
		queues.0.irq.pending | paste -sd ' ')" "false false 0"
check "ping ns1 -> ns2" ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.32.2

wb_exit

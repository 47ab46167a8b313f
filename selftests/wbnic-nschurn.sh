#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: namespaces holding cabled wbnics are deleted while traffic
# crosses the cable, in every order (one side, the other, both at once).
# A NIC dies with its netns; the NIC at the other end of the cable stays,
# uncabled, with carrier off, and can be cabled again. Nothing may leak:
# the module's refcount is back to 0 and it unloads at the end.
#
#   nsA: ca [rings] ==== cable ==== [rings] cb :nsB     ping -i 0.01 A->B
source lib.sh

ROUNDS=${WB_STRESS_ROUNDS:-6}
require_module wirebox_nic
module_file wirebox_nic >/dev/null || skip "wirebox_nic.ko cannot be reloaded"
on_exit "module_loaded wirebox_nic || module_load wirebox_nic"

wbnics() {	# wbnic devices in the initial and every named netns
	{
		ip -d -o link show
		for ns in $(ip netns list | awk '{print $1}'); do
			ip -n "$ns" -d -o link show
		done
	} 2>/dev/null | grep -cw wbnic
}

peer_of() {	# NS DEV: the cabled peer's name, "none" if uncabled
	"$WBCTL" -n "$1" -j nic show "$2" | python3 -c '
import json, sys
print(json.load(sys.stdin)[0].get("peer") or "none")'
}

base=$(wbnics)
for ((i = 1; i <= ROUNDS; i++)); do
	setup_ns nsA nsB
	"$WBCTL" nic add "wca$i" queues 2 &&
	"$WBCTL" nic add "wcb$i" &&
	"$WBCTL" nic cable "wca$i" "wcb$i" &&
	ip link set "wca$i" netns "$nsA" name ca &&
	ip link set "wcb$i" netns "$nsB" name cb ||
		{ check "round $i: set-up" false; break; }
	ip -n "$nsA" addr add 10.7.0.1/24 dev ca
	ip -n "$nsB" addr add 10.7.0.2/24 dev cb
	ip -n "$nsA" link set dev ca up
	ip -n "$nsB" link set dev cb up
	wait_for 10 link_attr_is "$nsA" ca carrier 1 ||
		{ check "round $i: carrier" false; break; }
	ip netns exec "$nsA" ping -q -i 0.01 -w 20 10.7.0.2 >/dev/null 2>&1 &
	pid=$!
	wait_for 10 counter_ge "$nsB" cb qsum.rx_packets 20
	check "round $i: traffic crosses the cable" counter_ge "$nsB" cb qsum.rx_packets 20

	case $((i % 3)) in
	0)	# both at once
		ip netns del "$nsA" & ip netns del "$nsB"; wait $! ;;
	1)	# the sender's side first: b stays, uncabled
		ip netns del "$nsA"
		check "round $i: cb lost carrier with a's netns" \
			wait_for 10 link_attr_is "$nsB" cb carrier 0
		check_eq "round $i: cb is uncabled" "$(peer_of "$nsB" cb)" none
		"$WBCTL" -n "$nsB" nic add cc
		check "round $i: cb can be cabled again" \
			"$WBCTL" -n "$nsB" nic cable cb cc
		ip netns del "$nsB" ;;
	2)	# the receiver's side first, under the sender's traffic
		ip netns del "$nsB"
		check "round $i: ca lost carrier with b's netns" \
			wait_for 10 link_attr_is "$nsA" ca carrier 0
		check_eq "round $i: ca is uncabled" "$(peer_of "$nsA" ca)" none
		ip netns del "$nsA" ;;
	esac
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	WB_NS_LIST=()
	check "round $i: no wbnic outlived its netns" \
		wait_for 10 sh -c "[ \$(ip -d -o link show | grep -cw wbnic) -le $base ]"
done

check_eq "no wbnic left anywhere" "$(wbnics)" "$base"
check_eq "module refcount back to 0" \
	"$(cat /sys/module/wirebox_nic/refcnt)" 0
check "module unloads after the churn" module_unload wirebox_nic
check "and loads again" module_load wirebox_nic
wb_exit

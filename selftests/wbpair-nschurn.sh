#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: namespaces created and deleted under pairs that span them, with
# traffic, in both modes and in every deletion order (one side first, the
# other, both at once). No pair may outlive either of its namespaces, and
# nothing may leak: the module's refcount is back to 0 and it unloads.
#
#   nsA: a ====(mode)==== b :nsB      ping while nsA/nsB are deleted
source lib.sh

ROUNDS=${WB_STRESS_ROUNDS:-6}
require_module wirebox_pair
[ -n "${WB_MODDIR:-}" ] && [ -e "$WB_MODDIR/pair/wirebox_pair.ko" ] ||
	skip "no WB_MODDIR/pair/wirebox_pair.ko to reload"
on_exit "grep -q '^wirebox_pair ' /proc/modules || insmod $WB_MODDIR/pair/wirebox_pair.ko"
wbctl_has_napi || skip "wbctl cannot create NAPI pairs"

leftover() {	# wbpair devices in any netns still on the system
	{
		ip -d -o link show
		for ns in $(ip netns list | awk '{print $1}'); do
			ip -n "$ns" -d -o link show
		done
	} 2>/dev/null | grep -cw wbpair
}

base=$(leftover)
for ((i = 1; i <= ROUNDS; i++)); do
	mode=xmit
	((i % 2)) && mode=napi
	setup_ns nsA nsB
	"$WBCTL" -n "$nsA" pair add a peer b netns "$nsB" mode "$mode" ||
		{ check "round $i: create ($mode)" false; break; }
	ip -n "$nsA" addr add 10.2.0.1/24 dev a
	ip -n "$nsB" addr add 10.2.0.2/24 dev b
	ip -n "$nsA" link set dev a up
	ip -n "$nsB" link set dev b up
	ip netns exec "$nsA" ping -q -i 0.02 -w 20 10.2.0.2 >/dev/null 2>&1 &
	pid=$!
	check "round $i: traffic flows before the teardown" \
		wait_for 10 sh -c "[ \$(ip netns exec $nsB cat /sys/class/net/b/statistics/rx_packets) -gt 3 ]"
	case $((i % 3)) in
	0) ip netns del "$nsA"; ip netns del "$nsB" ;;
	1) ip netns del "$nsB"; ip netns del "$nsA" ;;
	2) ip netns del "$nsA" & ip netns del "$nsB"; wait $! ;;
	esac
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	WB_NS_LIST=()
	# netns teardown is asynchronous (cleanup_net work)
	check "round $i ($mode, order $((i % 3))): both ends gone" \
		wait_for 20 test "$(leftover)" -eq "$base"
done

# Pairs hold no module reference; with every netns gone nothing may pin
# the module or a device (a leaked dev ref would hang rmmod and print
# "waiting for ... to become free" on the console).
check "wirebox_pair unloads" wait_for 20 rmmod wirebox_pair
check "and loads again" insmod "$WB_MODDIR/pair/wirebox_pair.ko"
wb_exit

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: rmmod wirebox_pair while pairs exist in several namespaces and
# traffic flows through them (xmit and NAPI mode), then insmod again;
# repeated. Every round must leave no wbpair anywhere, the module unloaded
# cleanly, and a fresh pair working. The VM runner's console scan catches
# oopses, warnings and "waiting for DEV to become free" reference leaks.
#
#   ns1: wx1 ====(xmit)==== wx2 :ns2     ping -f-ish, both ways
#   ns1: wn1 ====(napi)==== wn2 :ns2     UDP/raw flood ns1 -> ns2
#   ns3: wl1 ==== wl2 :ns3               idle, same netns
source lib.sh

ROUNDS=${WB_STRESS_ROUNDS:-4}
require_module wirebox_pair
[ -n "${WB_MODDIR:-}" ] && [ -e "$WB_MODDIR/pair/wirebox_pair.ko" ] ||
	skip "no WB_MODDIR/pair/wirebox_pair.ko to reload"
wbctl_has_napi || skip "wbctl cannot create NAPI pairs"
# leave the module loaded, whatever happens
on_exit "grep -q '^wirebox_pair ' /proc/modules || insmod $WB_MODDIR/pair/wirebox_pair.ko"

setup_ns ns1 ns2 ns3

all_wbpairs() {	# count wbpair devices in every netns we made
	local ns n=0
	for ns in "$ns1" "$ns2" "$ns3"; do
		n=$((n + $("$WBCTL" -n "$ns" -j pair show |
			python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')))
	done
	echo "$n"
}

round() {
	local r=$1 p

	"$WBCTL" -n "$ns1" pair add wx1 peer wx2 netns "$ns2" || return 1
	"$WBCTL" -n "$ns1" pair add wn1 peer wn2 netns "$ns2" mode napi || return 1
	"$WBCTL" -n "$ns3" pair add wl1 peer wl2 || return 1
	ip -n "$ns1" addr add 10.1.1.1/24 dev wx1
	ip -n "$ns2" addr add 10.1.1.2/24 dev wx2
	ip -n "$ns1" addr add 10.1.2.1/24 dev wn1
	ip -n "$ns2" addr add 10.1.2.2/24 dev wn2
	for p in "$ns1 wx1" "$ns2 wx2" "$ns1 wn1" "$ns2 wn2" "$ns3 wl1" "$ns3 wl2"; do
		set -- $p
		ip -n "$1" link set "$2" up
	done
	wait_for 10 link_attr_is "$ns1" wn1 carrier 1 || return 1

	# traffic that is still in flight when the module goes
	ip netns exec "$ns1" ping -q -i 0.01 -w 30 10.1.1.2 >/dev/null 2>&1 &
	local p1=$!
	ip netns exec "$ns2" ping -q -i 0.01 -w 30 10.1.1.1 >/dev/null 2>&1 &
	local p2=$!
	ip netns exec "$ns1" ping -q -i 0.01 -s 1400 -w 30 10.1.2.2 >/dev/null 2>&1 &
	local p3=$!
	sleep 1
	check "round $r: traffic flowing before rmmod" \
		test "$(ethtool_stat "$ns2" wn2 rx_packets)" -gt 0

	check "round $r: rmmod with 3 pairs up and traffic" rmmod wirebox_pair
	check_fail "round $r: module gone" grep -q '^wirebox_pair ' /proc/modules
	check_eq "round $r: no wbpair left in any netns" \
		"$(for ns in "$ns1" "$ns2" "$ns3"; do ip -n "$ns" -d -o link show; done | grep -cw wbpair)" 0
	kill "$p1" "$p2" "$p3" 2>/dev/null
	wait "$p1" "$p2" "$p3" 2>/dev/null

	check "round $r: insmod again" insmod "$WB_MODDIR/pair/wirebox_pair.ko"
}

for ((i = 1; i <= ROUNDS; i++)); do
	round "$i" || { check "round $i: set-up" false; break; }
done

# the module works after all that
check "a fresh pair after $ROUNDS rounds" \
	"$WBCTL" -n "$ns3" pair add wf1 peer wf2 netns "$ns1"
ip -n "$ns3" addr add 10.1.3.1/24 dev wf1
ip -n "$ns1" addr add 10.1.3.2/24 dev wf2
ip -n "$ns3" link set wf1 up
ip -n "$ns1" link set wf2 up
check "ping over the fresh pair" \
	ip netns exec "$ns3" ping -c 2 -W 5 10.1.3.2
check_eq "only the fresh pair exists" "$(all_wbpairs)" 2
wb_exit

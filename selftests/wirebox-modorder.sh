#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: load and unload wirebox_pair and wirebox_nic in every order while
# devices of both exist and traffic flows through them, and wirebox_nf
# (rules and the trace on, hooking that traffic) before both or after both. The modules are
# independent: unloading one must never disturb the other's devices, and
# each unload must remove exactly its own devices and return promptly.
#
#   ns1: p1 ====(wbpair)==== p2 :ns2      ping -i 0.01
#   ns1: n1 ====(wbnic cable)==== n2 :ns2 ping -i 0.01, 2 queues
source lib.sh

ROUNDS=${WB_STRESS_ROUNDS:-2}
for m in wirebox_pair wirebox_nic wirebox_nf; do
	require_module "$m"
	module_file "$m" >/dev/null || skip "$m.ko cannot be reloaded"
	on_exit "module_loaded $m || module_load $m"
done
setup_ns ns1 ns2

count() {	# KIND: devices of that link kind in ns1 and ns2
	{ ip -n "$ns1" -d -o link show; ip -n "$ns2" -d -o link show; } |
		grep -cw "$1"
}

traffic() {	# NS DEV DST: ping in the background; prints its pid
	ip netns exec "$1" ping -q -i 0.01 -w 30 "$3" >/dev/null 2>&1 &
	echo $!
}

devices() {	# build both topologies, start traffic; sets PIDS
	"$WBCTL" -n "$ns1" pair add p1 peer p2 netns "$ns2" || return 1
	"$WBCTL" nic add wmo1 queues 2 && "$WBCTL" nic add wmo2 queues 2 &&
	"$WBCTL" nic cable wmo1 wmo2 &&
	ip link set wmo1 netns "$ns1" name n1 &&
	ip link set wmo2 netns "$ns2" name n2 || return 1
	ip -n "$ns1" addr add 10.8.1.1/24 dev p1
	ip -n "$ns2" addr add 10.8.1.2/24 dev p2
	ip -n "$ns1" addr add 10.8.2.1/24 dev n1
	ip -n "$ns2" addr add 10.8.2.2/24 dev n2
	for d in "$ns1 p1" "$ns2 p2" "$ns1 n1" "$ns2 n2"; do
		set -- $d
		ip -n "$1" link set "$2" up
	done
	wait_for 10 link_attr_is "$ns1" n1 carrier 1 || return 1
	wait_for 10 link_attr_is "$ns1" p1 carrier 1 || return 1
	PIDS="$(traffic "$ns1" p1 10.8.1.2) $(traffic "$ns2" n2 10.8.2.1)"
	# wirebox_nf hooks it all: a rule matching it, the trace selecting it
	"$WBCTL" -n "$ns2" rule add input proto icmp accept &&
	"$WBCTL" -n "$ns1" trace on proto icmp rate 5
}

nf_unload() {	# ORDER: rmmod wirebox_nf, the other traffic goes on
	local before
	check "order $1: rmmod wirebox_nf under traffic" module_unload wirebox_nf
	before=$(link_attr "$ns1" n1 statistics/rx_packets)
	check "order $1: traffic goes on without wirebox_nf" \
		wait_for 10 counter_ge "$ns1" n1 stat.rx_packets $((before + 5))
}

order=0
for ((r = 1; r <= ROUNDS; r++)); do
	for first in wirebox_pair wirebox_nic; do
		second=wirebox_nic
		[ "$first" = wirebox_nic ] && second=wirebox_pair
		order=$((order + 1))
		devices || { check "order $order: set-up" false; break 2; }
		sleep 1
		check "order $order: pair traffic flows" \
			counter_ge "$ns2" p2 rx_packets 10
		check "order $order: nic traffic flows" \
			counter_ge "$ns1" n1 qsum.rx_packets 10

		[ $((order % 2)) = 1 ] && nf_unload "$order"
		check "order $order: rmmod $first under traffic" \
			module_unload "$first"
		kind=wbpair
		[ "$first" = wirebox_nic ] && kind=wbnic
		other=wbnic
		[ "$kind" = wbnic ] && other=wbpair
		check_eq "order $order: no $kind left" "$(count "$kind")" 0
		check_eq "order $order: both ${other}s still there" \
			"$(count "$other")" 2
		if [ "$other" = wbnic ]; then
			check "order $order: nic still passes traffic" \
				ip netns exec "$ns1" ping -c 1 -W 5 10.8.2.2
		else
			check "order $order: pair still passes traffic" \
				ip netns exec "$ns1" ping -c 1 -W 5 10.8.1.2
		fi
		check "order $order: rmmod $second" module_unload "$second"
		check_eq "order $order: no wbpair/wbnic left" \
			"$(( $(count wbpair) + $(count wbnic) ))" 0
		kill $PIDS 2>/dev/null
		wait $PIDS 2>/dev/null
		[ $((order % 2)) = 0 ] &&
			check "order $order: rmmod wirebox_nf last" module_unload wirebox_nf

		# load back in the opposite order of the unload
		[ $((order % 2)) = 0 ] &&
			check "order $order: insmod wirebox_nf first" module_load wirebox_nf
		check "order $order: insmod $second" module_load "$second"
		check "order $order: insmod $first" module_load "$first"
		[ $((order % 2)) = 1 ] &&
			check "order $order: insmod wirebox_nf last" module_load wirebox_nf
	done
done
wb_exit

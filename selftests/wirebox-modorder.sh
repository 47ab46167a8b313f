#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: unload wirebox_pair, wirebox_nic and wirebox_nf in every one of
# the six orders while devices of both device modules exist, traffic flows
# through them and wirebox_nf hooks it (a rule matching it, the trace
# selecting it); then load them back in the reverse order (so every load
# order is taken too). The modules are independent: unloading one must
# never disturb the others' devices or traffic, and each unload must
# remove exactly its own devices and return promptly.
#
#   ns1: p1 ====(wbpair)==== p2 :ns2      ping -i 0.01
#   ns1: n1 ====(wbnic cable)==== n2 :ns2 ping -i 0.01, 2 queues
#
# WB_STRESS_ROUNDS: how many times the six orders are run (default 1).
# shellcheck disable=SC2154 # ns1, ns2: set by setup_ns
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
	RID=$(wbnf_rule_add "$ns2" input proto icmp accept) &&
	"$WBCTL" -n "$ns1" trace on proto icmp rate 5
}

# still_flows ORDER MOD: after MOD went, what is left still carries traffic
still_flows() {
	local o=$1 gone=$2
	if module_loaded wirebox_pair; then
		check_eq "order $o: after $gone, both wbpairs still there" \
			"$(count wbpair)" 2
		check "order $o: after $gone, the pair passes traffic" \
			ip netns exec "$ns1" ping -c 1 -W 5 10.8.1.2
	fi
	if module_loaded wirebox_nic; then
		check_eq "order $o: after $gone, both wbnics still there" \
			"$(count wbnic)" 2
		check "order $o: after $gone, the nic passes traffic" \
			ip netns exec "$ns1" ping -c 1 -W 5 10.8.2.2
	fi
}

ROUNDS=${WB_STRESS_ROUNDS:-1}
order=0
for ((r = 1; r <= ROUNDS; r++)); do
	for perm in "pair nic nf" "pair nf nic" "nic pair nf" "nic nf pair" \
		    "nf pair nic" "nf nic pair"; do
		order=$((order + 1))
		devices || { check "order $order ($perm): set-up" false; break 2; }
		sleep 1
		check "order $order ($perm): pair traffic flows" \
			counter_ge "$ns2" p2 rx_packets 10
		check "order $order ($perm): nic traffic flows" \
			counter_ge "$ns1" n1 qsum.rx_packets 10
		check "order $order: the rule sees the traffic" \
			test "$(wbnf_rule_field "$ns2" "$RID" packets)" -gt 0

		# shellcheck disable=SC2086 # the order, word-split
		for m in $perm; do
			check "order $order ($perm): rmmod wirebox_$m under traffic" \
				module_unload "wirebox_$m"
			case $m in
			pair) check_eq "order $order: no wbpair left" \
				"$(count wbpair)" 0 ;;
			nic) check_eq "order $order: no wbnic left" \
				"$(count wbnic)" 0 ;;
			esac
			still_flows "$order" "wirebox_$m"
		done
		kill $PIDS 2>/dev/null
		wait $PIDS 2>/dev/null

		# load back in the reverse order
		# shellcheck disable=SC2086
		for m in $(printf '%s\n' $perm | tac); do
			check "order $order: insmod wirebox_$m" \
				module_load "wirebox_$m"
		done
	done
done
wb_exit

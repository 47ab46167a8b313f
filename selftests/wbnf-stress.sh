#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: wirebox_nf's per-netns state under churn, and module removal
# under load. Each round creates namespaces with rules, a drop policy and
# the trace on, sends traffic through them (IPv4 and IPv6), and deletes
# them while a rule flush and a restore race the traffic. Then rmmod
# wirebox_nf while packets cross its hooks, a LOG rule fires, the trace is
# on and `wbctl monitor trace` listens; traffic must go on without it, and
# the module loads again with empty rule sets.
#
#   nsA: a0 ==== wbpair ==== b0 :nsB     (per round, x3)
source "$(dirname "$0")/lib.sh"

require_cmd ip ping timeout
require_module wirebox_pair
require_module wirebox_nf
wbctl_has_nf || skip "$WBCTL has no rule object"
module_file wirebox_nf >/dev/null || skip "wirebox_nf.ko cannot be reloaded"
on_exit "module_loaded wirebox_nf || module_load wirebox_nf"

ROUNDS=${WB_STRESS_ROUNDS:-2}
TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"
printf 'policy input drop\ninput proto icmp accept\ninput proto icmpv6 accept\n' \
	>"$TMP/rules"

# one pair of namespaces with rules and traffic; prints the ping pids
mkpair() {	# A B N
	local a=$1 b=$2 n=$3
	wbpair_add "$a" a0 b0 "$b" || return 1
	ip -n "$a" addr add "10.9.$n.1/24" dev a0
	ip -n "$a" addr add "fd00:9:$n::1/64" dev a0 nodad
	ip -n "$b" addr add "10.9.$n.2/24" dev b0
	ip -n "$b" addr add "fd00:9:$n::2/64" dev b0 nodad
	ip -n "$a" link set a0 up
	ip -n "$b" link set b0 up
	wbnf "$b" rule restore "$TMP/rules" || return 1
	wbnf "$b" rule add input proto icmp log || return 1
	wbnf "$a" trace on proto icmp rate 20 || return 1
	wbnf "$b" trace on rate 20 || return 1
	ip netns exec "$a" ping -q -i 0.02 -w 20 "10.9.$n.2" >/dev/null 2>&1 &
	echo -n "$! "
	ip netns exec "$a" ping -6 -q -i 0.02 -w 20 "fd00:9:$n::2" >/dev/null 2>&1 &
	echo -n "$! "
}

for ((r = 1; r <= ROUNDS; r++)); do
	NSS=() PIDS=""
	for i in 1 2 3; do
		setup_ns NA NB || break
		NSS+=("$NA" "$NB")
		PIDS+=$(mkpair "$NA" "$NB" "$i") || { check "round $r: set-up $i" false; break; }
	done
	sleep 1
	for ((i = 1; i < ${#NSS[@]}; i += 2)); do
		wbnf "${NSS[i]}" rule flush input
		wbnf "${NSS[i]}" rule restore "$TMP/rules"
	done
	for ns in "${NSS[@]}"; do
		ip netns del "$ns"
	done
	# shellcheck disable=SC2086
	kill $PIDS 2>/dev/null
	wait 2>/dev/null
	check "round $r: namespaces with rules and traces deleted under traffic" true
done

wb_log "-- rmmod wirebox_nf under traffic"
setup_ns NA NB || exit $ksft_fail
PIDS=$(mkpair "$NA" "$NB" 9)
check "set-up" test -n "$PIDS"
ip netns exec "$NA" timeout 60 "$WBCTL" monitor trace >/dev/null 2>&1 &
MON=$!
on_exit "kill $MON"
sleep 1
check "rmmod wirebox_nf returns" module_unload wirebox_nf 30
check "traffic goes on without the hooks" \
	ip netns exec "$NA" ping -c 2 -i 0.2 -W 2 -q 10.9.9.2
check "insmod again" module_load wirebox_nf
check_eq "the new instance has no rules" "$(wbnf "$NB" rule list)" ""
check "and policy accept" ip netns exec "$NA" ping -c 1 -W 2 -q 10.9.9.2
# shellcheck disable=SC2086
kill $PIDS 2>/dev/null

wb_exit

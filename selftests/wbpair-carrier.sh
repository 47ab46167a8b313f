#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Each end of a wbpair has carrier exactly while both ends are admin up (an
# end's carrier follows its peer's admin state), whichever end changes, with
# the pair in one namespace and across two; deleting either end deletes both.
#
#  +---------------------------------+
#  | ns1                             |
#  |  wb1 <------- wbpair ------> wb2|
#  +---------------------------------+
#
#  +------------+                 +------------+
#  | ns1        |                 |        ns2 |
#  |  wb3 <-----+---- wbpair -----+----> wb4   |
#  +------------+                 +------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip
require_module wirebox_pair

# One end as "ADMIN OPERSTATE CARRIER" from its sysfs, in one netns exec:
# ADMIN is 1 if IFF_UP; CARRIER is "-" when unreadable (EINVAL while down).
end_state() {	# NS DEV
	# shellcheck disable=SC2016 # expanded by the inner sh
	ip netns exec "$1" sh -c 'cd /sys/class/net/$0 &&
		echo $(($(cat flags) & 1)) $(cat operstate) \
			$(cat carrier 2>/dev/null || echo -)' "$2"
}

# Is a state what an end should look like: "up" (admin up, carrier),
# "nocarrier" (admin up, no carrier) or "down" (admin down)?
state_is() {	# STATE up|nocarrier|down
	case $2 in
	up) [ "$1" = "1 up 1" ] ;;
	# LOWERLAYERDOWN; DOWN on 6.12 when the peer is in another netns
	# (default_operstate() looks the iflink up in the device's netns)
	nocarrier) [ "$1" = "1 lowerlayerdown 0" ] || [ "$1" = "1 down 0" ] ;;
	down) [ "$1" = "0 down -" ] ;;
	*) return 1 ;;
	esac
}

# expect_states NSA A WANT_A NSB B WANT_B: wait until both ends are as given
# (operstate follows carrier asynchronously, through linkwatch).
expect_states() {
	local sa sb end=$((SECONDS + 10))

	while :; do
		sa=$(end_state "$1" "$2") sb=$(end_state "$4" "$5")
		state_is "$sa" "$3" && state_is "$sb" "$6" && return 0
		[ "$SECONDS" -lt "$end" ] || break
		sleep 0.2
	done
	wb_log "$2 is '$sa', $5 is '$sb' (admin operstate carrier)"
	return 1
}

expect() {	# WHAT NSA A WANT_A NSB B WANT_B
	local what=$1
	shift
	check "$what: $2 $3, $5 $6" expect_states "$@"
}

# Walk both ends through every admin state transition.
carrier_matrix() {	# NSA A NSB B
	local na=$1 a=$2 nb=$3 b=$4

	expect "new pair" "$na" "$a" down "$nb" "$b" down
	ip -n "$na" link set dev "$a" up
	expect "$a up" "$na" "$a" nocarrier "$nb" "$b" down
	ip -n "$nb" link set dev "$b" up
	expect "$b up" "$na" "$a" up "$nb" "$b" up
	ip -n "$na" link set dev "$a" down
	expect "$a down" "$na" "$a" down "$nb" "$b" nocarrier
	ip -n "$na" link set dev "$a" up
	expect "$a up again" "$na" "$a" up "$nb" "$b" up
	ip -n "$nb" link set dev "$b" down
	expect "$b down" "$na" "$a" nocarrier "$nb" "$b" down
	ip -n "$na" link set dev "$a" down
	expect "both down" "$na" "$a" down "$nb" "$b" down
	ip -n "$nb" link set dev "$b" up
	expect "$b up alone" "$na" "$a" down "$nb" "$b" nocarrier
	ip -n "$na" link set dev "$a" up
	expect "both up" "$na" "$a" up "$nb" "$b" up
}

link_gone() {	# NS DEV
	! ip -n "$1" link show dev "$2" >/dev/null 2>&1
}

setup_ns NS1 NS2 || exit $ksft_fail

wb_log "-- one namespace"
check "create wb1/wb2 in ns1" wbpair_add "$NS1" wb1 wb2
bail_on_fail
carrier_matrix "$NS1" wb1 "$NS1" wb2

wb_log "-- two namespaces"
nf=$nfail
check "create wb3 in ns1, wb4 in ns2" wbpair_add "$NS1" wb3 wb4 "$NS2"
[ "$nfail" = "$nf" ] || wb_exit
carrier_matrix "$NS1" wb3 "$NS2" wb4

wb_log "-- deleting one end deletes both"
# wbpairs: the devices of kind wbpair in NS, sorted, on one line
wbpairs() {
	ip -n "$1" -o link show type wbpair |
		awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort | paste -sd ' '
}
check_eq "wbpairs in ns1" "$(wbpairs "$NS1")" "wb1 wb2 wb3"
check_eq "wbpairs in ns2" "$(wbpairs "$NS2")" "wb4"
check "delete wb1 (created end)" ip -n "$NS1" link del dev wb1
check "wb1 is gone" link_gone "$NS1" wb1
check "wb2 (its peer) is gone" link_gone "$NS1" wb2
check "delete wb4 (peer end, other netns)" ip -n "$NS2" link del dev wb4
check "wb4 is gone" link_gone "$NS2" wb4
check "wb3 (its peer) is gone" link_gone "$NS1" wb3

check "create wb5 in ns1, wb6 in ns2" wbpair_add "$NS1" wb5 wb6 "$NS2"
ip -n "$NS1" link set dev wb5 up
ip -n "$NS2" link set dev wb6 up
check "delete wb5 while both are up" ip -n "$NS1" link del dev wb5
check "wb6 is gone" link_gone "$NS2" wb6
check_eq "no wbpair left in ns1" "$(wbpairs "$NS1")" ""
check_eq "no wbpair left in ns2" "$(wbpairs "$NS2")" ""

wb_exit

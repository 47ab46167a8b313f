#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wbpair ends moving between namespaces: the pair keeps working and reports
# its peer right (ethtool -S peer_ifindex, IFLA_LINK + IFLA_LINK_NETNSID);
# a dying netns takes the peer in the other netns along; rmmod deletes the
# pairs of every netns, and the module loads and works again after.
#
#  1. created in ns1, wb2 moved to ns2, then wb1 moved to ns3:
#
#     ns1: wb1 <--> wb2 ; ns1: wb1 <--> ns2: wb2 ; ns3: wb1 <--> ns2: wb2
#
#  2. netns deletion:  ns4: wb3 <--> ns5: wb4   (delete ns4: wb4 goes)
#                      ns5: wb5 <--> ns6: wb6   (delete ns6: wb5 goes)
#
#  3. rmmod with ns2: wb7 <--> ns3: wb8, ns5: wb9 <--> ns5: wb10, all up

source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool ping python3
require_module wirebox_pair

link_gone() {	# NS DEV
	! ip -n "$1" link show dev "$2" >/dev/null 2>&1
}

# check_peer NSA A NSB B: each end names the other as its peer.
check_peer() {
	local na=$1 a=$2 nb=$3 b=$4 ia ib

	ia=$(link_ifindex "$na" "$a") ib=$(link_ifindex "$nb" "$b")
	check_eq "$a: ethtool peer_ifindex = ifindex of $b" \
		"$(ethtool_stat "$na" "$a" peer_ifindex)" "$ib"
	check_eq "$b: ethtool peer_ifindex = ifindex of $a" \
		"$(ethtool_stat "$nb" "$b" peer_ifindex)" "$ia"
	check_eq "$a: iflink = ifindex of $b" "$(link_attr "$na" "$a" iflink)" "$ib"
	check_eq "$b: iflink = ifindex of $a" "$(link_attr "$nb" "$b" iflink)" "$ia"
	if [ "$na" = "$nb" ]; then
		check_eq "$a: ip link: link $b, no link-netnsid" \
			"$(link_json "$na" "$a" link)/$(link_json "$na" "$a" link_netnsid)" "$b/"
		check_eq "$b: ip link: link $a, no link-netnsid" \
			"$(link_json "$nb" "$b" link)/$(link_json "$nb" "$b" link_netnsid)" "$a/"
	else
		check_eq "$a: ip link: link_index, link_netnsid of $nb" \
			"$(link_json "$na" "$a" link_index)/$(link_json "$na" "$a" link_netnsid)" \
			"$ib/$(nsid "$na" "$nb")"
		check_eq "$b: ip link: link_index, link_netnsid of $na" \
			"$(link_json "$nb" "$b" link_index)/$(link_json "$nb" "$b" link_netnsid)" \
			"$ia/$(nsid "$nb" "$na")"
	fi
}

# The id NS knows OTHER by, from "nsid ID (iproute2 netns name: OTHER)".
nsid() {	# NS OTHER
	ip -n "$1" netns list-id | awk -v n="$2" \
		'$NF == n ")" { print $2 }'
}

# ping_pair NSA A NSB B: address both ends (10.0.9.1, .2), bring them up and
# ping across.
ping_pair() {
	local na=$1 a=$2 nb=$3 b=$4

	ip -n "$na" addr replace 10.0.9.1/24 dev "$a"
	ip -n "$nb" addr replace 10.0.9.2/24 dev "$b"
	ip -n "$na" link set dev "$a" up
	ip -n "$nb" link set dev "$b" up
	check "ping $a ($na) -> $b ($nb)" \
		ip netns exec "$na" ping -c 2 -i 0.2 -W 5 -q 10.0.9.2
}

setup_ns NS1 NS2 NS3 NS4 NS5 NS6 || exit $ksft_fail

# Give each netns pair fixed ids so link_netnsid is predictable, and so
# that the ids differ in the two directions.
ip -n "$NS1" netns set "$NS2" 12
ip -n "$NS2" netns set "$NS1" 21
ip -n "$NS2" netns set "$NS3" 23
ip -n "$NS3" netns set "$NS2" 32

wb_log "-- 1. moving the ends"
check "create wb1, wb2 in ns1" wbpair_add "$NS1" wb1 wb2
bail_on_fail
check_peer "$NS1" wb1 "$NS1" wb2
check "move wb2 to ns2" ip -n "$NS1" link set dev wb2 netns "$NS2"
check "wb2 left ns1" link_gone "$NS1" wb2
check_eq "nsid of ns2 in ns1 is the one we set" "$(nsid "$NS1" "$NS2")" 12
check_peer "$NS1" wb1 "$NS2" wb2
ping_pair "$NS1" wb1 "$NS2" wb2
check "move wb1 to ns3" ip -n "$NS1" link set dev wb1 netns "$NS3"
check_peer "$NS3" wb1 "$NS2" wb2
ping_pair "$NS3" wb1 "$NS2" wb2
check "move wb2 back to ns1, renamed to wb2x" \
	ip -n "$NS2" link set dev wb2 netns "$NS1" name wb2x
check_peer "$NS3" wb1 "$NS1" wb2x
ping_pair "$NS3" wb1 "$NS1" wb2x
check "delete wb1 (in ns3)" ip -n "$NS3" link del dev wb1
check "wb2x in ns1 went with it" link_gone "$NS1" wb2x

wb_log "-- 2. deleting a netns deletes the pair"
check "create wb3 in ns4, wb4 in ns5" wbpair_add "$NS4" wb3 wb4 "$NS5"
ip -n "$NS4" link set dev wb3 up
ip -n "$NS5" link set dev wb4 up
check "delete ns4 (holds the created end)" ip netns del "$NS4"
check "wb4 in ns5 went with it" wait_for 30 link_gone "$NS5" wb4
check "create wb5 in ns5, wb6 in ns6" wbpair_add "$NS5" wb5 wb6 "$NS6"
ip -n "$NS5" link set dev wb5 up
ip -n "$NS6" link set dev wb6 up
check "delete ns6 (holds the auto-created peer)" ip netns del "$NS6"
check "wb5 in ns5 went with it" wait_for 30 link_gone "$NS5" wb5

wb_log "-- 3. rmmod with pairs alive in several netns"
if [ -z "${WB_MODDIR:-}" ] || [ ! -r "$WB_MODDIR/pair/wirebox_pair.ko" ]; then
	wb_log "SKIP: rmmod part: no \$WB_MODDIR/pair/wirebox_pair.ko"
	wb_exit
fi
KO=$WB_MODDIR/pair/wirebox_pair.ko
# whatever happens, leave the module loaded
on_exit "grep -q '^wirebox_pair ' /proc/modules || insmod '$KO'"

check "create wb7 in ns2, wb8 in ns3" wbpair_add "$NS2" wb7 wb8 "$NS3"
check "create wb9, wb10 in ns5" wbpair_add "$NS5" wb9 wb10
ping_pair "$NS2" wb7 "$NS3" wb8
ip -n "$NS5" link set dev wb9 up
ip -n "$NS5" link set dev wb10 up
if wbctl_has_napi; then
	check "create NAPI wb11 in ns1, wb12 in ns5" \
		ip netns exec "$NS1" "$WBCTL" pair add wb11 peer wb12 \
			netns "$NS5" mode napi
	ip -n "$NS1" link set dev wb11 up
	ip -n "$NS5" link set dev wb12 up
else
	wb_log "(no NAPI pair: $WBCTL has no 'pair add ... mode napi')"
fi

check "rmmod wirebox_pair" rmmod wirebox_pair
check "module is gone" sh -c "! grep -q '^wirebox_pair ' /proc/modules"
for d in "$NS2 wb7" "$NS3 wb8" "$NS5 wb9" "$NS5 wb10" "$NS1 wb11" "$NS5 wb12"; do
	# shellcheck disable=SC2086
	check "${d#* } is gone" link_gone $d
done
check_fail "no wbpair kind without the module" \
	ip -n "$NS1" link add name wbx type wbpair

check "insmod again" insmod "$KO"
check "create wb13 in ns1, wb14 in ns2" wbpair_add "$NS1" wb13 wb14 "$NS2"
check_peer "$NS1" wb13 "$NS2" wb14
ping_pair "$NS1" wb13 "$NS2" wb14

wb_exit

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# iproute2 itself drives wirebox's link kinds through the plugins in
# userspace/iproute2 (link_wbpair.so, link_wbnic.so, loaded from
# $IP_LIB_DIR): `ip link add ... type wbpair peer ... netns` and
# `type wbnic rx-ring/tx-ring/queues` create what they say, `ip -d link
# show` and `ip -d -j link show` print the IFLA_INFO_DATA attributes,
# `ip link help KIND` explains them, and bad arguments fail with a message
# and leave no device behind.
#
#  +----------------------+                  +----------------------+
#  | ns1                  |                  |                  ns2 |
#  |  wa 10.0.71.1/24     +--- wbpair napi --+  wb 10.0.71.2/24     |
#  |  wn0 10.0.72.1/24    +--- wbnic cable --+  wn1 10.0.72.2/24    |
#  +----------------------+                  +----------------------+
#  ns3, ns4: where the bad commands must leave nothing

# shellcheck disable=SC2317 # the helpers below run through check()
source "$(dirname "$0")/lib.sh"

require_cmd ip python3 ping
require_module wirebox_pair
require_module wirebox_nic

export IP_LIB_DIR=${IP_LIB_DIR:-$WB_ROOT/userspace/iproute2}
for k in wbpair wbnic; do
	[ -f "$IP_LIB_DIR/link_$k.so" ] ||
		skip "$IP_LIB_DIR/link_$k.so not built (make -C userspace/iproute2)"
done
wb_log "IP_LIB_DIR=$IP_LIB_DIR, $(ip -V)"

setup_ns NS1 NS2 NS3 NS4 || exit $ksft_fail

# grep_in WHAT PATTERN TEXT: TEXT matches the extended regex PATTERN.
grep_in() {
	grep -qE -- "$2" <<<"$3" && return 0
	local l
	wb_log "$1: no /$2/ in:"
	while IFS= read -r l; do
		wb_log "    $l"
	done <<<"$3"
	return 1
}

# info NS DEV PATH...: linkinfo.PATH of `ip -d -j link show dev DEV` in NS
# (info_kind, info_data.mode...), on one line, "-" for an absent one;
# fails if the JSON does not parse.
info() {
	local ns=$1 dev=$2
	shift 2
	ip -n "$ns" -d -j link show dev "$dev" | python3 -c '
import json, sys
li = json.load(sys.stdin)[0].get("linkinfo", {})
out = []
for path in sys.argv[1:]:
    v = li
    for k in path.split("."):
        v = v.get(k) if isinstance(v, dict) else None
    out.append("-" if v is None else str(v))
print(" ".join(out))' "$@"
}

has_link() {	# NS DEV
	ip -n "$1" link show dev "$2" >/dev/null 2>&1
}

# need_links NS DEV...: stop the test (through wb_exit) unless every DEV is
# in NS: the checks that follow need them, the earlier ones' failures don't.
need_links() {
	local ns=$1 d
	shift
	for d in "$@"; do
		has_link "$ns" "$d" && continue
		wb_log "stopping: no $d in $ns"
		wb_exit
	done
}

# link_names NS: the names of NS's devices, one a line, sorted.
link_names() {
	ip -n "$1" -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort
}

# no_links NS: NS has the devices it had when it was made (lo, and the
# fallback tunnels a kernel with ip_tunnel/sit built in puts in every
# netns: sit0, tunl0...), nothing more.
no_links() {
	local l
	l=$(comm -13 <(printf '%s\n' "${BASE_LINKS[$1]}") <(link_names "$1"))
	[ -z "$l" ] && return 0
	wb_log "left behind in $1: $l"
	return 1
}

declare -A BASE_LINKS=([$NS3]=$(link_names "$NS3") [$NS4]=$(link_names "$NS4"))

# add_fails PATTERN ARGS...: `ip -n NS3 link add ARGS` exits non-zero (not
# killed by a signal), says PATTERN on stderr, and NS3 and NS4 gain no device.
add_fails() {
	local pat=$1 err rc
	shift
	err=$(ip -n "$NS3" link add "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq 0 ] || { [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ]; }; then
		wb_log "exit status $rc: $err"
		return 1
	fi
	grep_in "stderr" "$pat" "$err" && no_links "$NS3" && no_links "$NS4"
}

# ---------------------------------------------------------------- help

out=$(ip link help wbpair 2>&1)
check "ip link help wbpair: usage" \
	grep_in help 'type wbpair \[ mode \{ xmit \| napi \} \]' "$out"
check "ip link help wbpair: peer" grep_in help 'peer \[ name \] PEER' "$out"
out=$(ip link help wbnic 2>&1)
check "ip link help wbnic: usage" \
	grep_in help 'type wbnic \[ rx-ring K \] \[ tx-ring K \]' "$out"
check "ip link help wbnic: limits" \
	grep_in help 'power of two from 64 to 4096' "$out"
out=$(ip link add type wbpair help 2>&1)
check "ip link add type wbpair help: exits non-zero" [ $? -ne 0 ]
check "ip link add type wbpair help: usage" \
	grep_in help 'Usage: ip link add .* type wbpair' "$out"
out=$(ip link add type wbnic help 2>&1)
check "ip link add type wbnic help: usage" \
	grep_in help 'Usage: ip link add .* type wbnic' "$out"

# -------------------------------------------------------------- wbpair

# The peer's options land on the peer, the device's flags stay its own.
check "ip link add wa type wbpair mode napi peer name wb netns NS2 ..." \
	ip -n "$NS1" link add wa type wbpair mode napi \
		peer name wb netns "$NS2" address 02:00:00:00:71:02 mtu 1400 up
check "wa in ns1" has_link "$NS1" wa
check "wb in ns2" has_link "$NS2" wb
check_fail "no wb in ns1" has_link "$NS1" wb
check_fail "no wa in ns2" has_link "$NS2" wa
need_links "$NS1" wa
need_links "$NS2" wb
check_eq "wa's peer is wb (iflink)" "$(link_attr "$NS1" wa iflink)" \
	"$(link_ifindex "$NS2" wb)"
check_eq "wb's peer is wa (iflink)" "$(link_attr "$NS2" wb iflink)" \
	"$(link_ifindex "$NS1" wa)"
check_eq "peer address" "$(link_mac "$NS2" wb)" 02:00:00:00:71:02
check_eq "peer mtu" "$(link_attr "$NS2" wb mtu)" 1400
check_eq "wa mtu" "$(link_attr "$NS1" wa mtu)" 1500
check_eq "peer up (flags 0x1)" "$(( $(link_attr "$NS2" wb flags) & 1 ))" 1
check_eq "wa still down" "$(( $(link_attr "$NS1" wa flags) & 1 ))" 0

out=$(ip -n "$NS1" -d link show dev wa)
check "ip -d link show wa: wbpair mode napi" grep_in "ip -d" 'wbpair mode napi' "$out"
out=$(ip -n "$NS2" -d link show dev wb)
check "ip -d link show wb: wbpair mode napi" grep_in "ip -d" 'wbpair mode napi' "$out"
check_eq "ip -d -j: wa info_kind, info_data.mode" \
	"$(info "$NS1" wa info_kind info_data.mode)" "wbpair napi"
check_eq "ip -d -j: wb info_kind, info_data.mode" \
	"$(info "$NS2" wb info_kind info_data.mode)" "wbpair napi"

ip -n "$NS1" addr add 10.0.71.1/24 dev wa
ip -n "$NS2" addr add 10.0.71.2/24 dev wb
ip -n "$NS1" link set dev wa up
check "wa has carrier" wait_for 10 link_ready "$NS1" wa
check "wb has carrier" wait_for 10 link_ready "$NS2" wb
check "ping ns1 -> ns2 over the wbpair" \
	ip netns exec "$NS1" ping -c 2 -i 0.2 -W 5 -q 10.0.71.2

# No options: the default mode; the kernel names the peer.
check "ip link add wc type wbpair" ip -n "$NS1" link add wc type wbpair
peer=$(link_by_index "$NS1" "$(link_attr "$NS1" wc iflink)")
check "wc's peer is wbpairN" grep_in peer '^wbpair[0-9]+$' "$peer"
check_eq "ip -d -j: wc info_data.mode" "$(info "$NS1" wc info_data.mode)" xmit
out=$(ip -n "$NS1" -d link show dev wc)
check "ip -d link show wc: wbpair mode xmit" grep_in "ip -d" 'wbpair mode xmit' "$out"
# "peer NAME" without "name", as veth takes it
check "ip link add wd type wbpair peer we" \
	ip -n "$NS1" link add wd type wbpair peer we
check_eq "we is wd's peer" "$(link_attr "$NS1" wd iflink)" \
	"$(link_ifindex "$NS1" we 2>/dev/null)"
check "ip -d -j link show (every link) parses" \
	sh -c "ip -n '$NS1' -d -j link show | python3 -c 'import json,sys; json.load(sys.stdin)'"

check "ip link del wb (in ns2)" ip -n "$NS2" link del wb
check_fail "wa went with wb" has_link "$NS1" wa
check "ip link del wc" ip -n "$NS1" link del wc
check "wc's peer $peer went with wc" \
	sh -c "[ -n '$peer' ] && ! ip -n '$NS1' link show dev '$peer' 2>/dev/null"

# Bad arguments: the plugin's, iplink_parse()'s for the peer, the kernel's.
check "wbpair: unknown option" add_fails 'wbpair: unknown option "bogus"' \
	wbq type wbpair bogus
check "wbpair: bad mode" add_fails 'mode is "xmit" or "napi"' \
	wbq type wbpair mode fast
check "wbpair: mode without value" add_fails 'not complete' \
	wbq type wbpair mode
check "wbpair: mode twice" add_fails 'duplicate "mode"' \
	wbq type wbpair mode xmit mode napi
check "wbpair: peer name too long" add_fails 'peer name is not a valid' \
	wbq type wbpair peer wbq0123456789abcdef netns "$NS4"
check "wbpair: peer name (name) too long" add_fails 'not a valid ifname' \
	wbq type wbpair peer name wbq0123456789abcdef netns "$NS4"
check "wbpair: a second type" add_fails 'duplicate "type"' \
	wbq type wbpair peer name wbr type veth
check "wbpair: peer netns missing" add_fails 'Invalid "netns" value' \
	wbq type wbpair peer name wbr netns "$NS4-none"
check "wbpair: peer named as the device (kernel)" \
	add_fails 'Error: .*already exists' wbq type wbpair peer name wbq
check "wbpair: bad peer address (kernel)" \
	add_fails 'Error: .*Ethernet address' \
	wbq type wbpair peer name wbr netns "$NS4" address 00:00:00:00:00:00

# --------------------------------------------------------------- wbnic

check "ip link add wn0 type wbnic rx-ring 128 tx-ring 512 queues 4" \
	ip -n "$NS1" link add wn0 type wbnic rx-ring 128 tx-ring 512 queues 4
check "ip link add wn1 type wbnic" ip -n "$NS1" link add wn1 type wbnic
need_links "$NS1" wn0 wn1
out=$(ip -n "$NS1" -d link show dev wn0)
check "ip -d link show wn0: rings and queues" \
	grep_in "ip -d" 'wbnic rx-ring 128 tx-ring 512 queues 4' "$out"
out=$(ip -n "$NS1" -d link show dev wn1)
check "ip -d link show wn1: the defaults" \
	grep_in "ip -d" 'wbnic rx-ring 256 tx-ring 256 queues 1' "$out"
check_eq "ip -d -j: wn0 info_kind, info_data.{rx_ring,tx_ring,queues}" \
	"$(info "$NS1" wn0 info_kind info_data.rx_ring info_data.tx_ring \
		info_data.queues)" "wbnic 128 512 4"
check_eq "ip -d -j: wn1 info_data.{rx_ring,tx_ring,queues}" \
	"$(info "$NS1" wn1 info_data.rx_ring info_data.tx_ring \
		info_data.queues)" "256 256 1"
if command -v ethtool >/dev/null; then
	check_eq "wn0: ethtool -g" "$(ethtool_cur "$NS1" wn0 -g RX TX)" "128 512"
	check_eq "wn0: ethtool -l" "$(ethtool_cur "$NS1" wn0 -l Combined)" 4
fi

if wbctl_has_nic; then
	check "wbctl nic cable wn0 wn1" "$WBCTL" -n "$NS1" nic cable wn0 wn1
	ip -n "$NS1" link set dev wn1 netns "$NS2"
	ip -n "$NS1" addr add 10.0.72.1/24 dev wn0
	ip -n "$NS2" addr add 10.0.72.2/24 dev wn1
	ip -n "$NS1" link set dev wn0 up
	ip -n "$NS2" link set dev wn1 up
	check "wn0 has carrier" wait_for 10 link_ready "$NS1" wn0
	check "wn1 has carrier" wait_for 10 link_ready "$NS2" wn1
	check "ping ns1 -> ns2 over the wbnic cable" \
		ip netns exec "$NS1" ping -c 2 -i 0.2 -W 5 -q 10.0.72.2
	check_eq "ip -d -j: wn1 in ns2 info_data.queues" \
		"$(info "$NS2" wn1 info_data.queues)" 1
else
	wb_log "no wbctl with nic cable: wbnic traffic not tried"
fi

check "ip link del wn0" ip -n "$NS1" link del wn0
check_fail "wn0 gone" has_link "$NS1" wn0

check "wbnic: unknown option" add_fails 'wbnic: unknown option "rings"' \
	wbq type wbnic rings 128
check "wbnic: rx-ring not a power of two" \
	add_fails 'rx-ring is a power of two from 64 to 4096' \
	wbq type wbnic rx-ring 100
check "wbnic: tx-ring too big" add_fails 'tx-ring is a power of two' \
	wbq type wbnic tx-ring 8192
check "wbnic: queues 0" add_fails 'queues is from 1 to 8' \
	wbq type wbnic queues 0
check "wbnic: queues 9" add_fails 'queues is from 1 to 8' \
	wbq type wbnic queues 9
check "wbnic: queues not a number" add_fails 'queues is from 1 to 8' \
	wbq type wbnic queues x
check "wbnic: queues twice" add_fails 'duplicate "queues"' \
	wbq type wbnic queues 1 queues 2
check "wbnic: rx-ring without value" add_fails 'not complete' \
	wbq type wbnic rx-ring
check "wbnic: more queues than numtxqueues (kernel)" \
	add_fails 'Error: More queues than numtxqueues' \
	wbq numtxqueues 2 numrxqueues 2 type wbnic queues 4

wb_exit

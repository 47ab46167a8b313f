#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two wbpairs as ports of a Linux bridge: ns1 and ns2 reach each other
# through br0, which learns both MAC addresses on the right ports.
#
#  +----------------+   +------------------------------+   +----------------+
#  | ns1            |   | nsbr          br0            |   |            ns2 |
#  |  wb1           |   |         +-----+------+       |   |           wb2  |
#  | 10.0.2.1/24 ---+---+- wbpair +- p1     p2 +wbpair-+---+-- 10.0.2.2/24  |
#  +----------------+   +------------------------------+   +----------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip bridge ping
require_module wirebox_pair

setup_ns NS1 NS2 NSBR || exit $ksft_fail

ip -n "$NSBR" link add name br0 type bridge stp_state 0 forward_delay 0 ||
	skip "no bridge support"
ip -n "$NSBR" link set dev br0 up

check "create wb1 (ns1) <-> p1 (nsbr)" wbpair_add "$NSBR" p1 wb1 "$NS1"
check "create wb2 (ns2) <-> p2 (nsbr)" wbpair_add "$NSBR" p2 wb2 "$NS2"
check "p1 joins br0" ip -n "$NSBR" link set dev p1 master br0
check "p2 joins br0" ip -n "$NSBR" link set dev p2 master br0
ip -n "$NSBR" link set dev p1 up
ip -n "$NSBR" link set dev p2 up
ip -n "$NS1" addr add 10.0.2.1/24 dev wb1
ip -n "$NS2" addr add 10.0.2.2/24 dev wb2
ip -n "$NS1" link set dev wb1 up
ip -n "$NS2" link set dev wb2 up

port_forwarding() {	# PORT
	bridge -n "$NSBR" link show dev "$1" | grep -q 'state forwarding'
}
check "p1 is forwarding" wait_for 10 port_forwarding p1
check "p2 is forwarding" wait_for 10 port_forwarding p2
bail_on_fail

check "ping ns1 -> ns2 through br0" \
	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.2.2
check "ping ns2 -> ns1 through br0" \
	ip netns exec "$NS2" ping -c 3 -i 0.2 -W 5 -q 10.0.2.1

MAC1=$(link_mac "$NS1" wb1)
MAC2=$(link_mac "$NS2" wb2)

# fdb_port MAC: the port br0 learned MAC on (dynamic entries only).
fdb_port() {
	bridge -n "$NSBR" fdb show br br0 |
		awk -v m="$1" '$1 == m && $2 == "dev" && !/permanent|static/ { print $3 }'
}
check_eq "br0 learned wb1's MAC $MAC1 on p1" "$(fdb_port "$MAC1")" p1
check_eq "br0 learned wb2's MAC $MAC2 on p2" "$(fdb_port "$MAC2")" p2

# the frames did cross the bridge ports
check "p1 received frames" \
	test "$(ethtool_stat "$NSBR" p1 rx_packets)" -gt 0
check "p2 sent frames" \
	test "$(ethtool_stat "$NSBR" p2 tx_packets)" -gt 0

wb_exit

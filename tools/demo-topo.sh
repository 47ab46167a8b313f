# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo topology, sourced (not run) inside the VM by tools/demo-guest.sh
# (`make demo`) and tools/vm-bashrc (`make vm`):
#
#  +---- h1 ----+             +---------------- router ----------------+
#  |            |             | wbn1 10.0.1.1/24     br0 10.0.2.1/24    |
#  | wbn0 ======|== cable ====|=                      |       |        |
#  | 10.0.1.2/24|   (wbnic)   |           ip_forward  rp2     rp3       |
#  +------------+             +-----------------------||------||--------+
#                                              wbpair ||      || wbpair
#                                             +- h2 --||-+  +-||- h3 ---+
#                                             | eth0      |  | eth0      |
#                                             | 10.0.2.2  |  | 10.0.2.3  |
#                                             +-----------+  +-----------+
#
# h1 reaches h2 and h3 through the router: wbnic NICs with a cable on one
# side, a bridge (br0) with two wbpair ports on the other. Every namespace
# has wirebox_nf's hooks; dmesg shows trace lines of every namespace
# (net.netfilter.nf_log_all_netns=1).

TOPO_NS=(h1 router h2 h3)

# topo_up [RUN]: build it; each command goes through RUN (default: none),
# e.g. a function that echoes it first. Returns non-zero on the first
# failure.
topo_up() {
	local run=${1:-}
	local wbctl=${WBCTL:-wbctl}

	for ns in "${TOPO_NS[@]}"; do
		$run ip netns add "$ns" || return
		ip -n "$ns" link set lo up || return
	done
	# the NICs are made in this namespace, cabled, then moved: the
	# cable stays plugged across namespaces
	$run "$wbctl" nic add wbn0 || return
	$run "$wbctl" nic add wbn1 || return
	$run "$wbctl" nic cable wbn0 wbn1 || return
	$run ip link set wbn0 netns h1 || return
	$run ip link set wbn1 netns router || return
	$run ip -n h1 addr add 10.0.1.2/24 dev wbn0 || return
	$run ip -n h1 link set wbn0 up || return
	$run ip -n h1 route add default via 10.0.1.1 || return
	$run ip -n router addr add 10.0.1.1/24 dev wbn1 || return
	$run ip -n router link set wbn1 up || return

	# a bridge in the router, a wbpair port per host; br0 gets an address
	# of its own, or it takes the lowest of its ports' and frames to it
	# would look addressed to that port
	$run ip -n router link add br0 address 02:00:00:00:02:01 type bridge || return
	for h in 2 3; do
		$run "$wbctl" -n router pair add rp$h peer eth0 netns h$h || return
		$run ip -n router link set rp$h master br0 up || return
		$run ip -n h$h addr add 10.0.2.$h/24 dev eth0 || return
		$run ip -n h$h link set eth0 up || return
		$run ip -n h$h route add default via 10.0.2.1 || return
	done
	$run ip -n router addr add 10.0.2.1/24 dev br0 || return
	$run ip -n router link set br0 up || return
	$run ip netns exec router sysctl -qw net.ipv4.ip_forward=1 || return
	# trace lines of every netns reach dmesg
	echo 1 >/proc/sys/net/netfilter/nf_log_all_netns
}

topo_down() {
	local ns

	for ns in "${TOPO_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

topo_map() {
	# the drawing at the top of this file
	sed -n '/^#  +---- h1/,/^#  *+-----------+  +-/s/^# \{0,1\}//p' \
		"$WB_ROOT/tools/demo-topo.sh"
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo tour, run inside the VM (tools/demo.sh boots it):
#
#   +---------- ns1 ----------+          +---------- ns2 ----------+
#   |  wb1  10.0.0.1/24  ====|== wbpair ==|====  wb2  10.0.0.2/24   |
#   +-------------------------+          +-------------------------+
set -uo pipefail

WBCTL=${WBCTL:-$WB_ROOT/userspace/wbctl}
ns1=demo1-$RANDOM
ns2=demo2-$RANDOM
pcap=$(mktemp -d)

cleanup() {
	ip netns del "$ns1" 2>/dev/null
	ip netns del "$ns2" 2>/dev/null
	rm -rf "$pcap"
}
trap cleanup EXIT

step() { printf '\n=== %s\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

step "1. The module is loaded"
echo "\$ lsmod | grep wirebox"
lsmod | grep -E '^(Module|wirebox)'

step "2. Two namespaces, one wbpair between them"
run ip netns add "$ns1"
run ip netns add "$ns2"
run "$WBCTL" -n "$ns1" pair add wb1 peer wb2 netns "$ns2"
run ip -n "$ns1" addr add 10.0.0.1/24 dev wb1
run ip -n "$ns2" addr add 10.0.0.2/24 dev wb2
run ip -n "$ns1" link set wb1 up
echo "# wb2 is still down, so wb1 has no carrier:"
run ip -n "$ns1" -br link show wb1
run ip -n "$ns2" link set wb2 up
echo "# now both ends are up and have carrier:"
run ip -n "$ns1" -br link show wb1
run "$WBCTL" -n "$ns1" pair show

step "3. tcpdump on each end, ping across"
ip netns exec "$ns1" tcpdump -i wb1 -nn -w "$pcap/wb1.pcap" icmp 2>/dev/null &
t1=$!
ip netns exec "$ns2" tcpdump -i wb2 -nn -w "$pcap/wb2.pcap" icmp 2>/dev/null &
t2=$!
sleep 2
run ip netns exec "$ns1" ping -c 3 -i 0.5 10.0.0.2
sleep 1
kill -INT "$t1" "$t2"
wait "$t1" "$t2" 2>/dev/null

step "4. What tcpdump captured on wb1 (in $ns1)"
tcpdump -nn -e -r "$pcap/wb1.pcap" 2>/dev/null
step "5. What tcpdump captured on wb2 (in $ns2)"
tcpdump -nn -e -r "$pcap/wb2.pcap" 2>/dev/null

step "6. Counters: ethtool -S wb1 (peer_ifindex is wb2's index in $ns2)"
run ip netns exec "$ns1" ethtool -S wb1
run ip -n "$ns2" -s link show wb2

step "7. Deleting one end deletes both"
run ip -n "$ns1" link del wb1
run ip -n "$ns2" -br link show
echo
echo "Done. Documentation/pair.rst explains what you just saw."

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo tour, run inside the VM (tools/demo.sh boots it):
#
# Act 1, wirebox_pair:
#   +---------- ns1 ----------+          +---------- ns2 ----------+
#   |  wb1  10.0.0.1/24  ====|== wbpair ==|====  wb2  10.0.0.2/24   |
#   +-------------------------+          +-------------------------+
#
# Act 2, wirebox_nic:
#   +---------- ns3 ----------+          +---------- ns4 ----------+
#   | wbn0  10.0.1.1/24 [rings]|== cable ==|[rings] wbn1 10.0.1.2/24 |
#   +-------------------------+          +-------------------------+
set -uo pipefail

WBCTL=${WBCTL:-$WB_ROOT/userspace/wbctl}
ns1=demo1-$RANDOM
ns2=demo2-$RANDOM
ns3=demo3-$RANDOM
ns4=demo4-$RANDOM
pcap=$(mktemp -d)

cleanup() {
	ip netns del "$ns1" 2>/dev/null
	ip netns del "$ns2" 2>/dev/null
	ip netns del "$ns3" 2>/dev/null
	ip netns del "$ns4" 2>/dev/null
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

step "8. Act 2: two wbnic NICs and a cable between them"
run "$WBCTL" nic add wbn0
run "$WBCTL" nic add wbn1
run "$WBCTL" nic cable wbn0 wbn1
run ip netns add "$ns3"
run ip netns add "$ns4"
echo "# the cable stays plugged when each NIC moves to its namespace:"
run ip link set wbn0 netns "$ns3"
run ip link set wbn1 netns "$ns4"
run ip -n "$ns3" addr add 10.0.1.1/24 dev wbn0
run ip -n "$ns4" addr add 10.0.1.2/24 dev wbn1
run ip -n "$ns3" link set wbn0 up
run ip -n "$ns4" link set wbn1 up
run ip netns exec "$ns3" ethtool -i wbn0

step "9. The rings before any traffic: wbctl nic show"
echo "# head = the device's position, tail = the driver's; clean = next"
echo "# descriptor the driver reclaims; posted = empty RX buffers the"
echo "# device may fill (one slot always stays empty)"
run "$WBCTL" -n "$ns3" nic show wbn0
before=$("$WBCTL" -n "$ns3" -j nic show wbn0)

step "10. tcpdump on both NICs, ping across the cable"
ip netns exec "$ns3" tcpdump -i wbn0 -nn -w "$pcap/wbn0.pcap" icmp 2>/dev/null &
t1=$!
ip netns exec "$ns4" tcpdump -i wbn1 -nn -w "$pcap/wbn1.pcap" icmp 2>/dev/null &
t2=$!
sleep 2
run ip netns exec "$ns3" ping -c 5 -i 0.2 10.0.1.2
sleep 1
kill -INT "$t1" "$t2"
wait "$t1" "$t2" 2>/dev/null
tcpdump -nn -r "$pcap/wbn0.pcap" 2>/dev/null | sed 's/^/wbn0: /'
tcpdump -nn -r "$pcap/wbn1.pcap" 2>/dev/null | sed 's/^/wbn1: /'

step "11. The rings after: heads and tails moved"
run "$WBCTL" -n "$ns3" nic show wbn0
echo "# before: $(echo "$before" | tr -d '\n' | grep -o '"head":[0-9]*' | head -2 | tr '\n' ' ')"

step "12. Driver and device counters (ethtool -S, non-zero only)"
echo "\$ ip netns exec $ns4 ethtool -S wbn1 | grep -v ': 0\$'"
ip netns exec "$ns4" ethtool -S wbn1 | grep -v ': 0$'
echo "# irqs < packets: interrupt coalescing (ethtool -c) batches completions"
run ip netns exec "$ns4" ethtool -c wbn1

step "13. Pull the cable: carrier goes off on both ends"
run "$WBCTL" -n "$ns3" nic uncable wbn0
sleep 1
run ip -n "$ns3" -br link show wbn0
run ip -n "$ns4" -br link show wbn1
echo
echo "Done. Documentation/pair.rst and Documentation/nic.rst explain what you just saw."

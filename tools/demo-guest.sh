#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo tour, run inside the VM (tools/demo.sh boots it). The topology
# is tools/demo-topo.sh's: h1 on a cabled wbnic to a router, whose bridge
# has a wbpair port to h2 and one to h3.
#
# Every act checks what it shows; the first claim that does not hold ends
# the tour with "DEMO FAILED: ..." and exit 1.
set -uo pipefail

export WBCTL=${WBCTL:-$WB_ROOT/userspace/wbctl}
# the selftests' helpers: wait_for, netns_inode, trace_lines, wbnic_json,
# on_exit
source "$WB_ROOT/selftests/lib.sh"
source "$WB_ROOT/tools/demo-topo.sh"
TMP=$(mktemp -d)
pids=()

cleanup() {
	local p

	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	topo_down
	rm -rf "$TMP"
}
on_exit cleanup

act() { printf '\n=== %s\n' "$*"; }
say() { printf '# %s\n' "$@"; }
run() { echo "\$ $*"; "$@"; }
# claim DESC COMMAND...: the tour goes on only if COMMAND succeeds
claim() {
	local desc=$1

	shift
	if "$@" >"$TMP/claim.out" 2>&1; then
		echo "  [ok] $desc"
		return 0
	fi
	sed 's/^/  | /' "$TMP/claim.out"
	echo "DEMO FAILED: $desc"
	exit 1
}
bg() { "$@" & pids+=($!); }
# json NS EXPR WBCTL-ARGS...: evaluate a Python expression over J, the
# JSON that `wbctl -j -n NS ARGS` prints
json() {
	local ns=$1 expr=$2

	shift 2
	"$WBCTL" -j -n "$ns" "$@" | python3 -c "import json, sys
J = json.load(sys.stdin)
r = $expr
print(r)
sys.exit(0 if r else 1)"
}

act "1. The modules"
echo "\$ lsmod | grep wirebox"
lsmod | grep -E '^(Module|wirebox)'
for m in wirebox_pair wirebox_nic wirebox_nf; do
	claim "$m is loaded" grep -q "^$m " /proc/modules
done

act "2. The topology: h1 -- cable -- router -- bridge -- h2, h3"
topo_map
topo_up run || { echo "DEMO FAILED: building the topology"; exit 1; }
run ip -n router -br link show
claim "the cable is plugged: wbn0 (h1) has carrier" \
	ip netns exec h1 grep -qx 1 /sys/class/net/wbn0/carrier
claim "the bridge port rp2 is forwarding" \
	ip netns exec router grep -qx 3 /sys/class/net/rp2/brport/state
claim "h1 reaches the router" ip netns exec h1 ping -c 1 -W 5 -q 10.0.1.1
claim "h1 reaches h2 through the router" ip netns exec h1 ping -c 1 -W 5 -q 10.0.2.2
claim "h2 reaches h3 across the bridge" ip netns exec h2 ping -c 1 -W 5 -q 10.0.2.3

act "3. The rings of wbn0 before the next ping"
say "head = the device's position, tail = the driver's; clean = the next" \
    "descriptor the driver reclaims; posted = empty RX buffers the device" \
    "may fill"
run "$WBCTL" -n h1 nic show wbn0
heads() { wbnic_json h1 wbn0 queues.0.tx.head queues.0.rx.head | paste -sd' '; }
before=$(heads)

act "4. Three pings h1 -> h2, captured in three places, traced in three namespaces"
for ns in h1 router h2; do
	run "$WBCTL" -n "$ns" trace on proto icmp icmp-type echo-request
done
bg ip netns exec h1 tcpdump -l -nn -i wbn0 icmp >"$TMP/h1.txt" 2>/dev/null
bg ip netns exec router tcpdump -l -nn -i any icmp >"$TMP/router.txt" 2>/dev/null
bg ip netns exec h2 tcpdump -l -nn -i eth0 icmp >"$TMP/h2.txt" 2>/dev/null
sleep 3
mark="wirebox-demo-$RANDOM$RANDOM"
echo "$mark" >/dev/kmsg
echo "\$ ip netns exec h1 ping -c 3 -i 0.5 -W 5 10.0.2.2"
ip netns exec h1 ping -c 3 -i 0.5 -W 5 10.0.2.2 | tee "$TMP/ping.txt"
claim "3 echo requests, 3 replies" grep -q "3 packets transmitted, 3 received" "$TMP/ping.txt"
sleep 2
kill -INT "${pids[@]}" 2>/dev/null
wait "${pids[@]}" 2>/dev/null
pids=()
for ns in h1 router h2; do
	"$WBCTL" -n "$ns" trace off
done
say "tcpdump -i wbn0 in h1:"
sed '/^$/d; s/^/    /' "$TMP/h1.txt"
say "tcpdump -i eth0 in h2:"
sed '/^$/d; s/^/    /' "$TMP/h2.txt"
say "tcpdump -i any in the router: each request shows up three times," \
    "once per device it crosses: in on wbn1, out on br0 (the route's" \
    "device), out on rp2 (the bridge port the bridge chose for h2's MAC)"
sed '/^$/d; s/^/    /' "$TMP/router.txt"
say "a reply shows up on rp2 as P (PACKET_OTHERHOST): it is addressed to" \
    "br0's MAC, not rp2's; a bridge port takes every frame, the bridge then" \
    "delivers it to br0 (In), and the router forwards it out of wbn1"
seq1() { grep -cE "echo request.*seq 1," "$1"; }
claim "h1 saw echo request seq 1 once (on wbn0)" test "$(seq1 "$TMP/h1.txt")" = 1
claim "h2 saw it once (on eth0)" test "$(seq1 "$TMP/h2.txt")" = 1
claim "the reply came in on rp2 as P, addressed to br0's MAC, then In on br0" \
	grep -qE 'rp2 +P +IP 10\.0\.2\.2 > 10\.0\.1\.2: ICMP echo reply' "$TMP/router.txt"
claim "the router saw it three times: wbn1 In, br0 Out, rp2 Out" \
	test "$(grep -E 'echo request.*seq 1,' "$TMP/router.txt" |
		awk '{ print $2, $3 }' | sort | paste -sd,)" = "br0 Out,rp2 Out,wbn1 In"

act "5. The rings of wbn0 after: the heads moved"
run "$WBCTL" -n h1 nic show wbn0
moved() {
	local after

	after=$(heads)
	echo "tx and rx head before: $before, after: $after"
	[ -n "${before// /}" ] && [ "$after" != "$before" ]
}
claim "the TX and RX ring heads of wbn0 moved" moved
echo "\$ ip netns exec h1 ethtool -S wbn0 | grep -E 'irq|poll|packets'"
ip netns exec h1 ethtool -S wbn0 | grep -E 'irq|poll|packets' | grep -v ': 0$'

act "6. One echo request's walk through the hooks (dmesg, trace lines)"
say "wbctl trace on writes one line per hook a matching packet crosses;" \
    "PKT= is the same for one packet, NS= is the namespace's inode"
for ns in h1 router h2; do
	# the first traced echo request to h2
	trace_lines "$mark" "$ns" 'DST=10\.0\.2\.2 .*TYPE=8' >"$TMP/walk-$ns"
	w=$(awk '{ print $2 }' "$TMP/walk-$ns" | paste -sd' ')
	say "$ns:"
	sed 's/^/    /' "$TMP/walk-$ns"
	case $ns in
	h1) want="OUTPUT POSTROUTING" ;;
	router) want="PREROUTING FORWARD POSTROUTING" ;;
	h2) want="PREROUTING INPUT" ;;
	esac
	claim "$ns: $want (got: ${w:-nothing})" test "$w" = "$want"
done

act "7. A TCP transfer h1 -> h2, and the connections wirebox tracks"
bg ip netns exec h2 socat -u TCP-LISTEN:5000,reuseaddr OPEN:"$TMP/recv",creat,trunc
sleep 1
head -c 200000 /dev/urandom >"$TMP/send"
run ip netns exec h1 socat -u OPEN:"$TMP/send" TCP:10.0.2.2:5000,connect-timeout=10
wait "${pids[@]}" 2>/dev/null
pids=()
claim "h2 received the 200000 bytes h1 sent, intact" cmp "$TMP/send" "$TMP/recv"
say "one more ping: ICMP entries live 30 s (wbctl ct config), so the list" \
    "has a fresh one"
run ip netns exec h1 ping -c 1 -W 5 -q 10.0.2.2
run "$WBCTL" -n router ct list
claim "the router's table has the transfer (tcp, dport 5000, ASSURED)" \
	json router "[e for e in J if e['proto'] == 'tcp' and e['orig']['dport'] == 5000 \
		and 'ASSURED' in str(e.get('status'))]" ct list
claim "and the pings (icmp, h1 -> h2)" \
	json router "[e for e in J if e['proto'] == 'icmp' and e['orig']['dst'] == '10.0.2.2']" ct list

act "8. A stateful rule: new TCP connections through the router are dropped"
mkfifo "$TMP/fifo"
exec 7<>"$TMP/fifo"
bg ip netns exec h2 socat -u TCP-LISTEN:5001,reuseaddr OPEN:"$TMP/chat",creat,append
bg ip netns exec h2 socat -u TCP-LISTEN:5002,reuseaddr,fork OPEN:/dev/null
sleep 1
say "a connection h1 -> h2:5001 opens before the rule and stays open"
# (not through bg: an asynchronous command's stdin is /dev/null unless
# redirected on the command itself)
ip netns exec h1 socat -u STDIN TCP:10.0.2.2:5001,connect-timeout=10 <"$TMP/fifo" &
pids+=($!)
echo "hello before the rule" >&7
claim "h2 got the first line" wait_for 15 grep -q "before the rule" "$TMP/chat"
run "$WBCTL" -n router rule add forward ct state established,related accept
run "$WBCTL" -n router rule add forward proto tcp ct state new drop
run "$WBCTL" -n router rule list forward
say "a new connection to h2:5002 (a listener is there) times out:"
echo "\$ ip netns exec h1 socat -u /dev/null TCP:10.0.2.2:5002,connect-timeout=3"
if ip netns exec h1 socat -u /dev/null TCP:10.0.2.2:5002,connect-timeout=3; then
	echo "DEMO FAILED: a new connection got through the router"
	exit 1
fi
echo "  [ok] the new connection was refused passage"
echo "hello after the rule" >&7
claim "the open connection still carries data: h2 got the second line" \
	wait_for 15 grep -q "after the rule" "$TMP/chat"
run "$WBCTL" -n router rule list forward
claim "the drop rule counted the SYNs it dropped" \
	json router "[r for r in J if r.get('verdict') == 'drop' and r.get('packets', 0) > 0]" \
	rule list forward
run "$WBCTL" -n router ct list proto tcp
claim "the router tracks the open connection as ESTABLISHED" \
	json router "[e for e in J if e['orig']['dport'] == 5001 and e['state'] == 'ESTABLISHED']" \
	ct list proto tcp
exec 7>&-
run "$WBCTL" -n router rule flush

act "9. Done"
say "Documentation/tutorial.rst retraces this tour step by step;" \
    "pair.rst, nic.rst and nf.rst explain each module. 'make vm' opens a" \
    "shell in the same VM with this topology up."

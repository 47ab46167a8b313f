#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation failures on the packet path, where the C tests' fail-nth
# cannot reach (it only fails allocations in task context; a NIC's poll
# and the hooks of a received packet run in softirq):
#  - wbnic: fail_function fails wbnic_rx_alloc_skb() and
#    wbnic_rx_alloc_frag() (the driver's ALLOW_ERROR_INJECTION points)
#    while pings, 64-byte UDP and a TCP transfer (LRO: coalesced frames,
#    page fragments) cross the cable: frames are dropped and counted
#    (what nf1 sent = what nf2 received + dropped + missed, both ways; a
#    coalesced frame counts as its segments), the TCP data arrives intact
#    (retransmitted), and once injection stops every ping is answered;
#  - wirebox_nf's conntrack: failslab, filtered to the wirebox_ct cache
#    (marked by slub_debug=A,wirebox_ct on the boot line), fails new
#    entries while new UDP flows go out of ns1 and arrive at ns2: a packet
#    whose entry could not be made is dropped and counted (the sender's
#    failed sends = its ct drop counter; what arrived = ns2's new entries
#    + its ct drops), and conntrack works again afterwards.
# Needs CONFIG_FAIL_FUNCTION and CONFIG_FAILSLAB (the debug kernel);
# skips elsewhere. kmemleak and the console scan (vm-run.sh) check that
# nothing leaked or warned.
#
#  +--------------------+                +--------------------+
#  | ns1                |                |                ns2 |
#  |  nf1 10.0.40.1/24  +----- cable ----+  nf2 10.0.40.2/24  |
#  +--------------------+                +--------------------+

source "$(dirname "$0")/lib.sh"

FF=/sys/kernel/debug/fail_function
FS=/sys/kernel/debug/failslab

require_cmd ip ethtool ping socat sha256sum timeout python3
require_module wirebox_nic
# conntrack's part needs wirebox_nf; the NIC's runs with its hooks too
module_loaded wirebox_nf || module_load wirebox_nf 2>/dev/null || true
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"
[ -d "$FF" ] || skip "no $FF (CONFIG_FAIL_FUNCTION: the debug kernel)"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

# ff_set FUNC...: fail each FUNC with probability WB_FF_PROB (%), quietly
ff_set() {
	local f
	echo >"$FF/inject" || return 1
	for f in "$@"; do
		echo "$f" >"$FF/inject" || return 1
	done
	echo "$WB_FF_PROB" >"$FF/probability" &&
		echo 1 >"$FF/interval" && echo -1 >"$FF/times" &&
		echo 0 >"$FF/verbose" && echo 0 >"$FF/space"
}
ff_off() { echo >"$FF/inject"; echo 0 >"$FF/probability"; }
on_exit ff_off

injectable() {
	grep -q "^$1\b" "$FF/injectable"
}

setup_ns NS1 NS2 || exit $ksft_fail
ipv6_off "$NS1" "$NS2"
check "cabled pair nf1 (ns1) <-> nf2 (ns2), up, carrier" \
	wbnic_cabled_pair "$NS1" nf1 "$NS2" nf2 40
bail_on_fail
check "pin the neighbours (no ARP in the counts)" \
	neigh_pin "$NS1" nf1 10.0.40.1 "$NS2" nf2 10.0.40.2
check "wbnic_rx_alloc_skb is injectable" injectable wbnic_rx_alloc_skb
check "wbnic_rx_alloc_frag is injectable" injectable wbnic_rx_alloc_frag
bail_on_fail

# shellcheck disable=SC2034 # used through namerefs (counters_snap, cdelta)
declare -A A0 A1 B0 B1
snap() {
	counters_snap A"$1" "$NS1" nf1
	counters_snap B"$1" "$NS2" nf2
}

# accounted: each way, what one end sent the other received, dropped (the
# driver's rx_queue_N_drops; stats64 rx_dropped has the core's drops too)
# or missed (for wait_for: the last frames may still be in a ring)
accounted() {
	snap 1
	[ "$(cdelta A0 A1 stat.tx_packets)" = "$(( $(cdelta B0 B1 stat.rx_packets) +
		$(cdelta B0 B1 qsum.rx_drops) + $(cdelta B0 B1 rx_missed) ))" ] &&
	[ "$(cdelta B0 B1 stat.tx_packets)" = "$(( $(cdelta A0 A1 stat.rx_packets) +
		$(cdelta A0 A1 qsum.rx_drops) + $(cdelta A0 A1 rx_missed) ))" ]
}

# ---- the driver's receive allocations ----
snap 0
WB_FF_PROB=20
check "fail_function: wbnic_rx_alloc_skb, wbnic_rx_alloc_frag at ${WB_FF_PROB}%" \
	ff_set wbnic_rx_alloc_skb wbnic_rx_alloc_frag
ip netns exec "$NS1" ping -q -c 200 -i 0.01 -W 1 10.0.40.2 >"$TMP/ping" 2>&1
wb_log "ping under injection: $(grep -o '[0-9]* received' "$TMP/ping")"
check "64-byte UDP frames sent under injection" \
	ip netns exec "$NS1" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(300):
    s.sendto(b"x" * 18, ("10.0.40.2", 9))'
WB_FF_PROB=2
check "fail_function at ${WB_FF_PROB}% for TCP" \
	ff_set wbnic_rx_alloc_skb wbnic_rx_alloc_frag
check "1 MiB TCP ns1 -> ns2 intact under injection" \
	tcp_xfer "$NS2" 10.0.40.2 "$NS1" 1048576 5401 "$TMP"
check "injection off" ff_off
check "every frame received, dropped or missed, both ways" \
	wait_for 10 accounted
snap 1
wb_log "nf1 -> nf2: tx $(cdelta A0 A1 stat.tx_packets), rx $(cdelta B0 B1 stat.rx_packets)" \
	"+ dropped $(cdelta B0 B1 qsum.rx_drops) + missed $(cdelta B0 B1 rx_missed);" \
	"nf2 -> nf1: tx $(cdelta B0 B1 stat.tx_packets), rx $(cdelta A0 A1 stat.rx_packets)" \
	"+ dropped $(cdelta A0 A1 qsum.rx_drops) + missed $(cdelta A0 A1 rx_missed)"
drops=$(( $(cdelta A0 A1 qsum.rx_drops) + $(cdelta B0 B1 qsum.rx_drops) ))
wb_log "rx drops: nf1 +$(cdelta A0 A1 qsum.rx_drops)," \
	"nf2 +$(cdelta B0 B1 qsum.rx_drops); LRO frames nf2" \
	"+$(cdelta B0 B1 rx_lro_flushed)"
check "the injected failures dropped frames (rx_queue_N_drops grew)" \
	test "$drops" -gt 0
check "LRO frames were built under injection" \
	test "$(cdelta B0 B1 rx_lro_flushed)" -gt 0
check "after: 20 pings, 20 answers" \
	ip netns exec "$NS1" ping -q -c 20 -i 0.05 -W 2 10.0.40.2

# ---- conntrack entries (wirebox_nf) ----
# the cache's failslab flag is read-only in sysfs: it comes from the boot
# line, slub_debug=A,wirebox_ct (vm-run.sh gives it to the debug kernel)
if ! module_loaded wirebox_nf || ! wbctl_has_ct || [ ! -d "$FS" ] ||
   [ "$(cat /sys/kernel/slab/wirebox_ct/failslab 2>/dev/null)" != 1 ]; then
	wb_log "conntrack part not run: needs wirebox_nf, wbctl ct, failslab" \
		"and the wirebox_ct cache marked for it (slub_debug=A,wirebox_ct)"
	wb_exit
fi

for ns in "$NS1" "$NS2"; do
	check "ct: UDP timeout 600 s in $ns (entries outlive the test)" \
		wbnf "$ns" ct config set udp 600
	wbnf "$ns" ct flush >/dev/null
done
D1=$(ct_stat "$NS1" drop) D2=$(ct_stat "$NS2" drop)
C2=$(ct_stat "$NS2" count)

# fs_knobs PROBABILITY: failslab for caches marked failslab only, any
# context, every allocation eligible, quiet
fs_knobs() {
	echo Y >"$FS/cache-filter" && echo N >"$FS/task-filter" &&
		echo N >"$FS/ignore-gfp-wait" && echo "$1" >"$FS/probability" &&
		echo 1 >"$FS/interval" && echo -1 >"$FS/times" &&
		echo 0 >"$FS/verbose"
}
fs_on() { fs_knobs 30; }
fs_off() {
	echo 0 >"$FS/probability"
	echo N >"$FS/cache-filter"
}
on_exit fs_off

check "failslab: the wirebox_ct cache only, 30%" fs_on
# 300 new flows (one datagram each, a source port each); a send the
# sender's own hook refused (EPERM) is an entry of ns1 that failed
out=$(ip netns exec "$NS1" python3 -c '
import errno, socket
sent = refused = other = 0
for i in range(300):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.0.40.1", 20000 + i))
    try:
        s.sendto(b"x", ("10.0.40.2", 9))
        sent += 1
    except OSError as e:
        if e.errno == errno.EPERM:
            refused += 1
        else:
            other += 1
    s.close()
print(sent, refused, other)')
check "failslab off" fs_off
read -r sent refused other <<<"$out"
wb_log "ns1: $sent datagrams sent, $refused refused (EPERM), $other other errors"
check_eq "no send failed for another reason" "${other:-?}" 0
check "some sends refused: entries of ns1 failed" test "${refused:-0}" -gt 0
check_eq "ns1 ct drop counter grew by the refused sends" \
	"$(( $(ct_stat "$NS1" drop) - D1 ))" "$refused"
# the wire is lossless: each datagram sent arrived, an entry or a drop
arrived() {
	[ "$(( $(ct_stat "$NS2" count) - C2 + $(ct_stat "$NS2" drop) - D2 ))" \
		-ge "$sent" ]
}
wait_for 10 arrived
check_eq "ns2: new entries + ct drops = datagrams sent" \
	"$(( $(ct_stat "$NS2" count) - C2 + $(ct_stat "$NS2" drop) - D2 ))" \
	"$sent"
check "ns2: some arrivals dropped for want of an entry" \
	test "$(( $(ct_stat "$NS2" drop) - D2 ))" -gt 0
n2=$(ct_stat "$NS2" count)
check "after: a new flow leaves ns1" ip netns exec "$NS1" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.40.1", 29999))
s.sendto(b"x", ("10.0.40.2", 9))'
more() { [ "$(ct_stat "$NS2" count)" -gt "$n2" ]; }
check "  ... and is tracked in ns2" wait_for 5 more

wb_exit

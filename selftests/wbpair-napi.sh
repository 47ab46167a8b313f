#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A wbpair in NAPI mode (the receiver's NAPI poll delivers with GRO) carries
# ICMP and TCP both ways like one in xmit mode; its napi_polls and
# napi_completes grow on the receiving ends while they stay 0 on an xmit
# pair; each end's tx matches its peer's rx (plus the peer's rx drops);
# taking a receiver down and up again keeps the pair working.
#
#  +------------------+                    +------------------+
#  | ns1              |                    |              ns2 |
#  |  wb1 10.0.3.1/24 +-- wbpair, napi  ---+ wb2 10.0.3.2/24  |
#  |  wb3 10.0.4.1/24 +-- wbpair, xmit  ---+ wb4 10.0.4.2/24  |
#  +------------------+                    +------------------+
#
# IPv6 is off in both namespaces, so only the test's traffic crosses.

source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool ping tcpdump socat ss sha256sum timeout
require_module wirebox_pair
wbctl_has_napi || skip "$WBCTL cannot 'pair add ... mode napi'"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

# stats NS DEV NAME...: the values of ethtool -S counters, in one call.
stats() {
	local ns=$1 dev=$2
	shift 2
	ip netns exec "$ns" ethtool -S "$dev" | awk -F': *' -v names="$*" '
		{ gsub(/ /, "", $1); v[$1] = $2 }
		END { n = split(names, k, " ")
		      for (i = 1; i <= n; i++) printf "%s%s", v[k[i]], (i < n ? " " : "\n") }'
}

# tx_matches_rx NSA A NSB B: all A sent, B received or counted as a ring
# drop (packets), and the bytes match when nothing was dropped.
tx_matches_rx() {
	local tx txb rx rxb full flushed

	read -r tx txb < <(stats "$1" "$2" tx_packets tx_bytes)
	read -r rx rxb full flushed < <(stats "$3" "$4" rx_packets rx_bytes \
		rx_drops_ring_full rx_drops_flushed)
	LAST="$2 tx $tx/$txb, $4 rx $rx/$rxb ring_full $full flushed $flushed"
	[ -n "$tx" ] && [ -n "$flushed" ] || return 1
	[ "$tx" -eq $((rx + full + flushed)) ] || return 1
	[ $((full + flushed)) -gt 0 ] || [ "$txb" -eq "$rxb" ]
}

check_tx_rx() {	# NSA A NSB B
	if wait_for 10 tx_matches_rx "$@"; then
		check_eq "$2 tx = $4 rx + drops ($LAST)" ok ok
	else
		check_eq "$2 tx = $4 rx + drops" "$LAST" "equal"
	fi
}

# grew WHAT OLD NEW: NEW > OLD
grew() {
	check "$1 grew ($2 -> $3)" test "${3:-0}" -gt "${2:-0}"
}

setup_ns NS1 NS2 || exit $ksft_fail
ipv6_off "$NS1" "$NS2"

check "wbctl: NAPI pair wb1 (ns1) <-> wb2 (ns2)" \
	ip netns exec "$NS1" "$WBCTL" pair add wb1 peer wb2 netns "$NS2" mode napi
check "wb1 is in NAPI mode" \
	sh -c "ip netns exec $NS1 '$WBCTL' pair show wb1 | grep -q 'mode napi'"
check "wb2 is in NAPI mode" \
	sh -c "ip netns exec $NS2 '$WBCTL' pair show wb2 | grep -q 'mode napi'"
check "ip: xmit pair wb3 (ns1) <-> wb4 (ns2)" wbpair_add "$NS1" wb3 wb4 "$NS2"

ip -n "$NS1" addr add 10.0.3.1/24 dev wb1
ip -n "$NS2" addr add 10.0.3.2/24 dev wb2
ip -n "$NS1" addr add 10.0.4.1/24 dev wb3
ip -n "$NS2" addr add 10.0.4.2/24 dev wb4
for d in "$NS1 wb1" "$NS2 wb2" "$NS1 wb3" "$NS2 wb4"; do
	ip -n "${d% *}" link set dev "${d#* }" up
done
check "wb1 has carrier" wait_for 10 link_attr_is "$NS1" wb1 carrier 1
check "wb2 has carrier" wait_for 10 link_attr_is "$NS2" wb2 carrier 1
bail_on_fail

read -r P1 C1 < <(stats "$NS1" wb1 napi_polls napi_completes)
read -r P2 C2 < <(stats "$NS2" wb2 napi_polls napi_completes)

wb_log "-- NAPI pair: ping, tcpdump on both ends"
check "tcpdump listens on wb1" capture_start "$NS1" wb1 12 icmp "$TMP/cap1"
CAP1=$BG_PID
check "tcpdump listens on wb2" capture_start "$NS2" wb2 12 icmp "$TMP/cap2"
CAP2=$BG_PID
check "ping ns1 -> ns2" ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.3.2
check "ping ns2 -> ns1" ip netns exec "$NS2" ping -c 3 -i 0.2 -W 5 -q 10.0.3.1
check "tcpdump on wb1 saw 12 ICMP packets" wait "$CAP1"
check "tcpdump on wb2 saw 12 ICMP packets" wait "$CAP2"
for f in cap1 cap2; do
	check_eq "$f: echo requests/replies, both ways" \
		"$(grep -c 'IP 10.0.3.1 > 10.0.3.2: ICMP echo request' "$TMP/$f")/$(
		   grep -c 'IP 10.0.3.2 > 10.0.3.1: ICMP echo reply' "$TMP/$f")/$(
		   grep -c 'IP 10.0.3.2 > 10.0.3.1: ICMP echo request' "$TMP/$f")/$(
		   grep -c 'IP 10.0.3.1 > 10.0.3.2: ICMP echo reply' "$TMP/$f")" \
		3/3/3/3
done

wb_log "-- NAPI pair: TCP"
check "TCP 512 KiB ns1 -> ns2, sha256 matches" \
	tcp_xfer "$NS2" 10.0.3.2 "$NS1" 524288 5001 "$TMP"
check "TCP 512 KiB ns2 -> ns1, sha256 matches" \
	tcp_xfer "$NS1" 10.0.3.1 "$NS2" 524288 5002 "$TMP"

read -r P1n C1n < <(stats "$NS1" wb1 napi_polls napi_completes)
read -r P2n C2n < <(stats "$NS2" wb2 napi_polls napi_completes)
grew "wb1 napi_polls" "$P1" "$P1n"
grew "wb1 napi_completes" "$C1" "$C1n"
grew "wb2 napi_polls" "$P2" "$P2n"
grew "wb2 napi_completes" "$C2" "$C2n"
check_tx_rx "$NS1" wb1 "$NS2" wb2
check_tx_rx "$NS2" wb2 "$NS1" wb1

wb_log "-- xmit pair: no NAPI"
check "xmit: ping ns1 -> ns2" ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.4.2
check "xmit: TCP 128 KiB ns1 -> ns2" \
	tcp_xfer "$NS2" 10.0.4.2 "$NS1" 131072 5003 "$TMP"
check_eq "wb3 napi_polls napi_completes" "$(stats "$NS1" wb3 napi_polls napi_completes)" "0 0"
check_eq "wb4 napi_polls napi_completes" "$(stats "$NS2" wb4 napi_polls napi_completes)" "0 0"
check_tx_rx "$NS1" wb3 "$NS2" wb4
check_tx_rx "$NS2" wb4 "$NS1" wb3

wb_log "-- NAPI pair: receiver down and up again"
# with frames in flight: the stop must flush wb2's ring (the frames
# it drops are counted in rx_drops_flushed, checked below)
bg_run "$NS1" timeout 60 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("wb1", 0))
frame = bytes.fromhex(sys.argv[1].replace(":", "")) * 2 + b"\x88\xb5" + bytes(486)
end = time.monotonic() + 4
while time.monotonic() < end:
    for i in range(20):
        try:
            s.send(frame)
        except OSError:
            pass
    open(sys.argv[2], "w").close()
' "$(link_mac "$NS2" wb2)" "$TMP/sending"
SENDER=$BG_PID
check "frame sender started" wait_for 20 test -e "$TMP/sending"
for i in 1 2 3; do
	ip -n "$NS2" link set dev wb2 down
	ip -n "$NS2" link set dev wb2 up
done
check "frame sender finished" wait "$SENDER"
check "wb2 has carrier again" wait_for 10 link_attr_is "$NS2" wb2 carrier 1
check "wb1 has carrier again" wait_for 10 link_attr_is "$NS1" wb1 carrier 1
read -r P2 C2 < <(stats "$NS2" wb2 napi_polls napi_completes)
check "ping ns1 -> ns2 after wb2 down/up" \
	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.3.2
check "TCP 256 KiB ns1 -> ns2 after wb2 down/up" \
	tcp_xfer "$NS2" 10.0.3.2 "$NS1" 262144 5004 "$TMP"
read -r P2n C2n < <(stats "$NS2" wb2 napi_polls napi_completes)
grew "wb2 napi_polls" "$P2" "$P2n"
grew "wb2 napi_completes" "$C2" "$C2n"
check_tx_rx "$NS1" wb1 "$NS2" wb2
check_tx_rx "$NS2" wb2 "$NS1" wb1

wb_exit

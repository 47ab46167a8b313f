#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wirebox_nf beside nftables and nf_conntrack: both see the packet, each
# at its own priority, and a packet must pass both. wirebox's hooks run at
# -10, before the filter chains at 0: a packet that nftables drops in its
# forward filter chain still shows wirebox's PREROUTING and FORWARD lines
# (VERDICT=ACCEPT) and no POSTROUTING; one that wirebox drops never reaches
# nftables' counter. nf_conntrack (loaded by the nft ct rule) tracks the
# flows wirebox lets through.
#
#  A a0 10.0.81.1/24 --wbpair-- r0 10.0.81.254  R  r1 10.0.82.254 --wbpair-- b0 10.0.82.1/24 B

source "$(dirname "$0")/lib.sh"

require_cmd ip ping nft python3 dmesg
require_module wirebox_pair
require_module wirebox_nf
wbctl_has_nf || skip "$WBCTL has no rule object"

setup_ns A R B || exit $ksft_fail
check "wbpair a0 (A) <-> r0 (R)" wbpair_add "$R" r0 a0 "$A"
check "wbpair b0 (B) <-> r1 (R)" wbpair_add "$R" r1 b0 "$B"
bail_on_fail
addr_up "$A" a0 10.0.81.1/24
addr_up "$R" r0 10.0.81.254/24
addr_up "$R" r1 10.0.82.254/24
addr_up "$B" b0 10.0.82.1/24
ip -n "$A" route add default via 10.0.81.254
ip -n "$B" route add default via 10.0.82.254
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
check "dmesg lines from every netns" nf_log_all_netns 1
check "A reaches B" ip netns exec "$A" ping -c 1 -W 5 -q 10.0.82.1

check "nft: a forward chain at priority 0 with ct state and a counter" \
	ip netns exec "$R" nft -f - <<'NFT'
table inet t {
	chain filter_fwd {
		type filter hook forward priority 0; policy accept;
		ct state established,related counter accept
		icmp type echo-request ip daddr 10.0.82.1 counter drop
	}
}
NFT
# /sys/module/NAME: a loaded module, or one built in (the debug kernel's)
check "nf_conntrack is there (the ct expression loads it)" \
	test -d /sys/module/nf_conntrack
check "wbctl trace on in R" wbnf "$R" trace on proto icmp icmp-type echo-request
MARK=$(kmsg_mark)
check_fail "nftables drops A's echo to B" \
	ip netns exec "$A" ping -c 1 -W 2 -q 10.0.82.1
check_eq "wirebox saw it first: PREROUTING FORWARD, and no POSTROUTING" \
	"$(trace_walk "$MARK" "$R" 'DST=10\.0\.82\.1 .*TYPE=8')" "PREROUTING FORWARD"
check "wirebox accepted it" grep -q 'VERDICT=ACCEPT' \
	<<<"$(trace_line "$MARK" "$R" 'DST=10\.0\.82\.1 .*TYPE=8' FORWARD)"
nft_drops() {
	ip netns exec "$R" nft -j list chain inet t filter_fwd | python3 -c '
import json, sys
for r in json.load(sys.stdin)["nftables"]:
    for e in r.get("rule", {}).get("expr", []):
        if "counter" in e and any("drop" in x for x in r["rule"]["expr"]):
            print(e["counter"]["packets"])'
}
check_eq "nftables' drop rule counted 1" "$(nft_drops)" 1

wb_log "-- wirebox drops first: nftables never sees the packet"
check "wbctl: drop A's echoes to B at forward" \
	wbnf "$R" rule add forward src 10.0.81.1 proto icmp drop
check_fail "A's echo is dropped" ip netns exec "$A" ping -c 2 -W 2 -q 10.0.82.1
check_eq "nftables' drop rule still counts 1" "$(nft_drops)" 1
check "flush wirebox's rules, delete nft's table" \
	sh -c "ip netns exec $R $WBCTL rule flush && ip netns exec $R nft delete table inet t"
check "A reaches B again" ip netns exec "$A" ping -c 1 -W 5 -q 10.0.82.1
wb_exit

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A wbpair between two namespaces carries ICMP and TCP both ways, and each
# end sees the frames with tcpdump.
#
#  +------------------+               +------------------+
#  | ns1              |               |              ns2 |
#  |  wb1 10.0.1.1/24 +---- wbpair ---+ wb2 10.0.1.2/24  |
#  +------------------+               +------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ping tcpdump socat ss sha256sum timeout
require_module wirebox_pair

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

setup_ns NS1 NS2 || exit $ksft_fail
check "create the pair" wbpair_add "$NS1" wb1 wb2 "$NS2"
ip -n "$NS1" addr add 10.0.1.1/24 dev wb1
ip -n "$NS2" addr add 10.0.1.2/24 dev wb2
ip -n "$NS1" link set dev wb1 up
ip -n "$NS2" link set dev wb2 up
check "wb1 has carrier" wait_for 10 link_attr_is "$NS1" wb1 carrier 1
check "wb2 has carrier" wait_for 10 link_attr_is "$NS2" wb2 carrier 1
bail_on_fail

# 3 echo requests + 3 replies each way = 12 ICMP packets on each end
check "tcpdump listens on wb1" \
	capture_start "$NS1" wb1 12 icmp "$TMP/cap1"
CAP1=$BG_PID
check "tcpdump listens on wb2" \
	capture_start "$NS2" wb2 12 icmp "$TMP/cap2"
CAP2=$BG_PID

check "ping ns1 -> ns2" \
	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.1.2
check "ping ns2 -> ns1" \
	ip netns exec "$NS2" ping -c 3 -i 0.2 -W 5 -q 10.0.1.1

check "tcpdump on wb1 saw 12 ICMP packets" wait "$CAP1"
check "tcpdump on wb2 saw 12 ICMP packets" wait "$CAP2"

# count_icmp FILE SRC DST request|reply
count_icmp() {
	grep -c "IP $2 > $3: ICMP echo $4" "$1"
}
for f in cap1 cap2; do
	check_eq "$f: echo requests 10.0.1.1 > 10.0.1.2" \
		"$(count_icmp "$TMP/$f" 10.0.1.1 10.0.1.2 request)" 3
	check_eq "$f: echo replies 10.0.1.2 > 10.0.1.1" \
		"$(count_icmp "$TMP/$f" 10.0.1.2 10.0.1.1 reply)" 3
	check_eq "$f: echo requests 10.0.1.2 > 10.0.1.1" \
		"$(count_icmp "$TMP/$f" 10.0.1.2 10.0.1.1 request)" 3
	check_eq "$f: echo replies 10.0.1.1 > 10.0.1.2" \
		"$(count_icmp "$TMP/$f" 10.0.1.1 10.0.1.2 reply)" 3
done

check "TCP 512 KiB ns1 -> ns2, sha256 matches" \
	tcp_xfer "$NS2" 10.0.1.2 "$NS1" 524288 5001 "$TMP"
check "TCP 512 KiB ns2 -> ns1, sha256 matches" \
	tcp_xfer "$NS1" 10.0.1.1 "$NS2" 524288 5002 "$TMP"

wb_exit

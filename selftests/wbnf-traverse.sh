#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hook traversal: which netfilter hooks a packet walks through, and in
# which order, for the three classic paths, over IPv4 and IPv6:
#
#   local delivery   (A pings R)  on R: PREROUTING -> INPUT
#   forwarding       (A pings B)  on R: PREROUTING -> FORWARD -> POSTROUTING
#   local output     (A pings B)  on A: OUTPUT -> POSTROUTING
#                                 on B: PREROUTING -> INPUT
#
# Checked three ways: the per-hook counters (wbctl stats, exact for IPv4,
# where nothing else is sent), per-hook rule counters (IPv6, where neighbour
# discovery also walks the hooks), and the trace: the dmesg lines of one
# packet (same PKT id) in order, the same walk on `wbctl monitor trace`
# and on the wirebox:wbnf_hook tracepoint. Then the trace's rate limit and
# off switch.
#
#  +--------------------+        +---------------------------+        +--------------------+
#  | A                  |        | R (forwarding)            |        |                  B |
#  | a0 10.0.61.1/24    +-wbpair-+ r0 10.0.61.254  r1 .62.254+-wbpair-+ b0 10.0.62.1/24    |
#  |    fd00:61::1/64   |        |    fd00:61::fe  fd00:62::fe|       |    fd00:62::1/64   |
#  +--------------------+        +---------------------------+        +--------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ping python3 dmesg awk paste timeout
require_module wirebox_pair
require_module wirebox_nf
wbctl_has_nf || skip "$WBCTL has no rule object"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"
check "dmesg lines from every netns (nf_log_all_netns=1)" nf_log_all_netns 1

setup_ns A R B || exit $ksft_fail
check "wbpair a0 (A) <-> r0 (R)" wbpair_add "$R" r0 a0 "$A"
check "wbpair b0 (B) <-> r1 (R)" wbpair_add "$R" r1 b0 "$B"
bail_on_fail
addr_up "$A" a0 10.0.61.1/24 fd00:61::1/64
addr_up "$R" r0 10.0.61.254/24 fd00:61::fe/64
addr_up "$R" r1 10.0.62.254/24 fd00:62::fe/64
addr_up "$B" b0 10.0.62.1/24 fd00:62::1/64
ip -n "$A" route add default via 10.0.61.254
ip -n "$A" -6 route add default via fd00:61::fe
ip -n "$B" route add default via 10.0.62.254
ip -n "$B" -6 route add default via fd00:62::fe
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
check "A reaches B over IPv4 (warm-up)" \
	ip netns exec "$A" ping -c 1 -W 5 -q 10.0.62.1
check "A reaches B over IPv6 (warm-up)" \
	ip netns exec "$A" ping -6 -c 1 -W 5 -q fd00:62::1
bail_on_fail

# ------------------------------------------------------------ counters

wb_log "-- IPv4 hook counters (PRE IN FWD OUT POST), 3 echoes each"
delta() {	# BEFORE AFTER: field-wise difference
	local -a a b
	local i out=""
	read -ra a <<<"$1"
	read -ra b <<<"$2"
	for i in "${!a[@]}"; do
		out+="$((b[i] - a[i])) "
	done
	echo "${out% }"
}
r0=$(wbnf_hook_packets "$R" ipv4) a0=$(wbnf_hook_packets "$A" ipv4)
check "A pings R 3 times" ip netns exec "$A" ping -c 3 -i 0.2 -W 5 -q 10.0.61.254
check_eq "R, local delivery: requests PRE+IN, replies OUT+POST" \
	"$(delta "$r0" "$(wbnf_hook_packets "$R" ipv4)")" "3 3 0 3 3"
check_eq "A, local output: requests OUT+POST, replies PRE+IN" \
	"$(delta "$a0" "$(wbnf_hook_packets "$A" ipv4)")" "3 3 0 3 3"
r0=$(wbnf_hook_packets "$R" ipv4) b0=$(wbnf_hook_packets "$B" ipv4)
check "A pings B 3 times" ip netns exec "$A" ping -c 3 -i 0.2 -W 5 -q 10.0.62.1
check_eq "R, forwarding: 6 packets PRE+FWD+POST, none IN or OUT" \
	"$(delta "$r0" "$(wbnf_hook_packets "$R" ipv4)")" "6 0 6 0 6"
check_eq "B: requests PRE+IN, replies OUT+POST" \
	"$(delta "$b0" "$(wbnf_hook_packets "$B" ipv4)")" "3 3 0 3 3"

wb_log "-- IPv6: a counting rule per hook for echo requests"
declare -A RID
for h in prerouting input forward output postrouting; do
	RID[$h]=$(wbnf_rule_add "$R" "$h" proto icmpv6 icmp-type echo-request accept)
	check "R: counting rule on $h (id ${RID[$h]})" test -n "${RID[$h]}"
done
check "A pings R over IPv6, 2 times" ip netns exec "$A" ping -6 -c 2 -i 0.2 -W 5 -q fd00:61::fe
check "A pings B over IPv6, 3 times" ip netns exec "$A" ping -6 -c 3 -i 0.2 -W 5 -q fd00:62::1
got=""
for h in prerouting input forward output postrouting; do
	got+="$(wbnf_rule_field "$R" "${RID[$h]}" packets) "
done
check_eq "R: echo requests per hook (PRE IN FWD OUT POST)" "${got% }" "5 2 3 0 3"
check "R: flush the counting rules" wbnf "$R" rule flush

# --------------------------------------------------------------- trace

wb_log "-- the trace: one packet's lines, in order"
for ns in "$A" "$R" "$B"; do
	check "trace on in $ns (echo requests)" \
		wbnf "$ns" trace on proto icmp icmp-type echo-request
done
MARK=$(kmsg_mark)
check "A pings R" ip netns exec "$A" ping -c 1 -W 5 -q 10.0.61.254
check "A pings B" ip netns exec "$A" ping -c 1 -W 5 -q 10.0.62.1
check_eq "R: local delivery" \
	"$(trace_walk "$MARK" "$R" 'DST=10\.0\.61\.254 .*TYPE=8')" "PREROUTING INPUT"
check_eq "R: forwarding" \
	"$(trace_walk "$MARK" "$R" 'DST=10\.0\.62\.1 .*TYPE=8')" \
	"PREROUTING FORWARD POSTROUTING"
check_eq "A: local output" \
	"$(trace_walk "$MARK" "$A" 'DST=10\.0\.62\.1 .*TYPE=8')" "OUTPUT POSTROUTING"
check_eq "B: delivery" \
	"$(trace_walk "$MARK" "$B" 'DST=10\.0\.62\.1 .*TYPE=8')" "PREROUTING INPUT"
line=$(trace_line "$MARK" "$R" 'DST=10\.0\.62\.1 .*TYPE=8' FORWARD)
wb_log "R: $line"
check "R: FORWARD line has IN=r0 OUT=r1" grep -q ' IN=r0 OUT=r1 ' <<<"$line"
check "R: FORWARD line in LOG style" grep -Eq \
	'SRC=10\.0\.61\.1 DST=10\.0\.62\.1 LEN=84 TTL=[0-9]+ PROTO=ICMP TYPE=8 CODE=0 ID=[0-9]+ SEQ=1 CT=NEW VERDICT=ACCEPT RULE=- PKT=' \
	<<<"$line"

wb_log "-- IPv6 trace"
for ns in "$A" "$R" "$B"; do
	wbnf "$ns" trace on proto icmpv6 icmp-type echo-request
done
MARK=$(kmsg_mark)
check "A pings R over IPv6" ip netns exec "$A" ping -6 -c 1 -W 5 -q fd00:61::fe
check "A pings B over IPv6" ip netns exec "$A" ping -6 -c 1 -W 5 -q fd00:62::1
check_eq "R: IPv6 local delivery" \
	"$(trace_walk "$MARK" "$R" 'DST=fd00:61::fe .*TYPE=128')" "PREROUTING INPUT"
check_eq "R: IPv6 forwarding" \
	"$(trace_walk "$MARK" "$R" 'DST=fd00:62::1 .*TYPE=128')" \
	"PREROUTING FORWARD POSTROUTING"
check_eq "A: IPv6 local output" \
	"$(trace_walk "$MARK" "$A" 'DST=fd00:62::1 .*TYPE=128')" "OUTPUT POSTROUTING"
check "R: IPv6 line in LOG style" grep -Eq \
	'HOPLIMIT=[0-9]+ PROTO=ICMPv6 TYPE=128 CODE=0 ID=[0-9]+ SEQ=1 CT=NEW VERDICT=ACCEPT' \
	<<<"$(trace_line "$MARK" "$R" 'DST=fd00:62::1 .*TYPE=128' FORWARD)"

wb_log "-- a drop shows where the walk ends, and which rule did it"
DROP=$(wbnf_rule_add "$R" forward dst 10.0.62.1 proto icmp drop)
check "R: drop rule on forward (id $DROP)" test -n "$DROP"
wbnf "$R" trace on proto icmp icmp-type echo-request
MARK=$(kmsg_mark)
check_fail "A cannot ping B" ip netns exec "$A" ping -c 1 -W 2 -q 10.0.62.1
check_eq "R: walk ends at FORWARD" \
	"$(trace_walk "$MARK" "$R" 'DST=10\.0\.62\.1 .*TYPE=8')" "PREROUTING FORWARD"
check "R: FORWARD line says VERDICT=DROP RULE=$DROP" grep -q \
	"VERDICT=DROP RULE=$DROP " \
	<<<"$(trace_line "$MARK" "$R" 'DST=10\.0\.62\.1 .*TYPE=8' FORWARD)"
check_eq "R: stats count the drop at forward" \
	"$(wbnf_stat "$R" forward ipv4 dropped)" 1
check "R: delete the drop rule" wbnf "$R" rule del forward "$DROP"

wb_log "-- wbctl monitor trace shows the same walk"
wbnf "$R" trace on proto icmp icmp-type echo-request
ip netns exec "$R" timeout 60 "$WBCTL" monitor trace >"$TMP/mon" 2>"$TMP/mon.err" &
MON=$!
on_exit "kill $MON"
sleep 1
MARK=$(kmsg_mark)
check "A pings B" ip netns exec "$A" ping -c 1 -W 5 -q 10.0.62.1
wait_for 10 sh -c "grep -q POSTROUTING '$TMP/mon'"
kill "$MON" 2>/dev/null
wait "$MON" 2>/dev/null
cat "$TMP/mon.err"
check_eq "monitor: hooks in order" \
	"$(grep 'DST=10.0.62.1 ' "$TMP/mon" | awk '{ print $3 }' | paste -sd' ')" \
	"PREROUTING FORWARD POSTROUTING"
dmesg_id=$(trace_line "$MARK" "$R" 'DST=10\.0\.62\.1 .*TYPE=8' FORWARD |
	sed -n 's/.* PKT=\([0-9a-f]*\) .*/\1/p')
check_eq "monitor: the id is dmesg's PKT=" \
	"$(grep 'FORWARD' "$TMP/mon" | head -n1 | awk '{ print $2 }')" "$dmesg_id"

wb_log "-- the wirebox:wbnf_hook tracepoint"
TR=/sys/kernel/tracing
[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
if [ -d $TR/events/wirebox/wbnf_hook ]; then
	echo >$TR/trace
	echo 1 >$TR/events/wirebox/wbnf_hook/enable
	check "A pings B" ip netns exec "$A" ping -c 1 -W 5 -q 10.0.62.1
	echo 0 >$TR/events/wirebox/wbnf_hook/enable
	check "tracepoint: FORWARD event with addresses and verdict" grep -Eq \
		'wbnf_hook: netns=[0-9]+ id=[0-9a-f]{8} hook=FORWARD in=r0 out=r1 src=::ffff:10.0.61.1 dst=::ffff:10.0.62.1 .*verdict=ACCEPT' \
		$TR/trace
else
	check "tracepoint wirebox:wbnf_hook exists" false
fi

wb_log "-- rate and off"
wbnf "$R" trace on proto icmp icmp-type echo-request rate 2
MARK=$(kmsg_mark)
check "A floods B with 40 echoes in 1 s" \
	ip netns exec "$A" ping -c 40 -i 0.025 -W 5 -q 10.0.62.1
ids=$(kmsg_since "$MARK" | grep " NS=$(netns_inode "$R")\$" |
	sed -n 's/.* PKT=\([0-9a-f]*\) .*/\1/p' | sort -u | wc -l)
check "rate 2/s: between 1 and 6 of the 40 packets traced ($ids)" \
	test "$ids" -ge 1 -a "$ids" -le 6
wb_log "-- without nf_log_all_netns, a netns's trace stays out of dmesg"
nf_log_all_netns 0
wbnf "$R" trace on proto icmp icmp-type echo-request
MARK=$(kmsg_mark)
ip netns exec "$R" timeout 30 "$WBCTL" monitor trace >"$TMP/mon2" 2>/dev/null &
MON=$!
on_exit "kill $MON"
sleep 1
check "A pings B" ip netns exec "$A" ping -c 1 -W 5 -q 10.0.62.1
wait_for 10 sh -c "grep -q POSTROUTING '$TMP/mon2'"
kill "$MON" 2>/dev/null
check_eq "no dmesg line from R" \
	"$(kmsg_since "$MARK" | grep -c " NS=$(netns_inode "$R")\$")" 0
check "the monitor still shows the walk" grep -q FORWARD "$TMP/mon2"
nf_log_all_netns 1
check "trace off" wbnf "$R" trace off
check_eq "trace show says off" "$(wbnf "$R" trace show)" "trace off"
MARK=$(kmsg_mark)
check "A pings B" ip netns exec "$A" ping -c 2 -i 0.2 -W 5 -q 10.0.62.1
check_eq "off: R logs nothing" \
	"$(kmsg_since "$MARK" | grep -c " NS=$(netns_inode "$R")\$")" 0

wb_exit

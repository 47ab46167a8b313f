#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The iptables examples everyone knows, as wbctl rules on S's input hook,
# behave as iptables would:
#
#   iptables -A INPUT -i s1 -s 10.0.71.2 -j DROP        one source, one port
#   iptables -A INPUT -p tcp --dport 8080 -j REJECT      "connection refused"
#   iptables -A INPUT -i lo -j ACCEPT; -P INPUT DROP     loopback only
#   iptables -A INPUT -s 10.0.71.0/24 -p tcp --dport 22 -j ACCEPT   SSH
#
# plus rule and byte counters that match the traffic, LOG, insertion by
# index, an atomic whole-ruleset replace (wbctl rule restore) under
# traffic, per-netns isolation, and an unprivileged user changing nothing.
#
#  +--------------------+        +--------------------------+        +--------------------+
#  | C1                 |        | S                        |        |                 C2 |
#  | c1 10.0.71.2, .3   +-wbpair-+ s1 10.0.71.1  s2 10.0.72.1+-wbpair-+ c2 10.0.72.2       |
#  |    fd00:71::2      |        |    fd00:71::1  fd00:72::1 |        |    fd00:72::2      |
#  +--------------------+        +--------------------------+        +--------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ping python3 socat timeout setpriv
require_module wirebox_pair
require_module wirebox_nf
wbctl_has_nf || skip "$WBCTL has no rule object"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"
check "LOG lines from every netns (nf_log_all_netns=1)" nf_log_all_netns 1

setup_ns S C1 C2 || exit $ksft_fail
check "wbpair c1 (C1) <-> s1 (S)" wbpair_add "$S" s1 c1 "$C1"
check "wbpair c2 (C2) <-> s2 (S)" wbpair_add "$S" s2 c2 "$C2"
bail_on_fail
addr_up "$S" s1 10.0.71.1/24 fd00:71::1/64
addr_up "$S" s2 10.0.72.1/24 fd00:72::1/64
addr_up "$C1" c1 10.0.71.2/24 10.0.71.3/24 fd00:71::2/64
addr_up "$C2" c2 10.0.72.2/24 fd00:72::2/64

ping_from() {	# NS SRCADDR DST [COUNT]
	ip netns exec "$1" ping -c "${4:-1}" -i 0.2 -W 2 -q -I "$2" "$3" >/dev/null
}

# tcp_connect NS ADDR PORT: prints ok, refused or timeout
tcp_connect() {
	ip netns exec "$1" python3 -c '
import socket, sys
a, p = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
s.settimeout(3)
try:
    s.connect((a, p))
    print("ok")
except ConnectionRefusedError:
    print("refused")
except (socket.timeout, OSError) as e:
    print("timeout" if isinstance(e, socket.timeout) else e.strerror)' "$2" "$3"
}

# the listeners live until the test ends (on_exit kills them): under a
# debug kernel the checks that use them come minutes later
listen() {	# PORT
	bg_run "$S" timeout 1800 socat TCP6-LISTEN:"$1",ipv6only=0,reuseaddr,fork \
		SYSTEM:'echo hi' 2>/dev/null
	wait_listen "$S" "$1"
}
check "S listens on 8080" listen 8080
check "S listens on 22" listen 22
check "C1 reaches S" ping_from "$C1" 10.0.71.2 10.0.71.1
check "C2 reaches S" ping_from "$C2" 10.0.72.2 10.0.72.1
bail_on_fail

wb_log "-- drop one source on one interface"
ID=$(wbnf_rule_add "$S" input iif s1 src 10.0.71.2 drop)
check "rule add input iif s1 src 10.0.71.2 drop (id $ID)" test -n "$ID"
check_fail "C1 from 10.0.71.2 is dropped" ping_from "$C1" 10.0.71.2 10.0.71.1 3
check "C1 from 10.0.71.3 gets through" ping_from "$C1" 10.0.71.3 10.0.71.1
check "C2 gets through" ping_from "$C2" 10.0.72.2 10.0.72.1
check_eq "rule counted the 3 echoes" "$(wbnf_rule_field "$S" "$ID" packets)" 3
check_eq "and their 3 x 84 bytes" "$(wbnf_rule_field "$S" "$ID" bytes)" 252
check "rule list shows it" sh -c \
	"ip netns exec $S $WBCTL rule list input | grep -q '^input id $ID iif s1 src 10.0.71.2/32 drop packets 3 bytes 252'"
check "rule del input $ID" wbnf "$S" rule del input "$ID"
check "C1 from 10.0.71.2 gets through again" ping_from "$C1" 10.0.71.2 10.0.71.1
check_fail "rule del of a deleted id fails" wbnf "$S" rule del input "$ID"

wb_log "-- REJECT: TCP reset, ICMP port unreachable"
check_eq "before: C2 connects to 8080" "$(tcp_connect "$C2" 10.0.72.1 8080)" ok
check "rule add input proto tcp dport 8080 reject" \
	wbnf "$S" rule add input proto tcp dport 8080 reject
check_eq "C2 is refused on 8080 (RST)" "$(tcp_connect "$C2" 10.0.72.1 8080)" refused
check_eq "C2 is refused on 8080 over IPv6" "$(tcp_connect "$C2" fd00:72::1 8080)" refused
check_eq "C2 still connects to 22" "$(tcp_connect "$C2" 10.0.72.1 22)" ok
# -t 30: socat closes 0.5 s after the datagram by default, before the
# shell it forked has answered under a debug kernel ("echo: I/O error")
bg_run "$S" timeout 1800 socat -t 30 UDP4-RECVFROM:5353,fork SYSTEM:'echo pong'
check "S listens on UDP 5353" wait_for 20 sh -c \
	"ip netns exec $S ss -Huln 'sport = :5353' | grep -q ."
udp_ask() {	# prints the answer or the error
	ip netns exec "$C2" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# socat forks a shell per datagram: slow under TCG, seconds under a debug
# kernel; asked three times, 10 s each
s.settimeout(10)
s.connect(("10.0.72.1", 5353))
for _ in range(3):
    try:
        s.send(b"ping")
        print(s.recv(100).decode().strip())
        break
    except ConnectionRefusedError:
        print("refused")
        break
    except socket.timeout:
        pass
else:
    print("timeout")'
}
check_eq "UDP: answered before" "$(udp_ask)" pong
check "rule add input proto udp dport 5353 reject" \
	wbnf "$S" rule add input proto udp dport 5353 reject
check_eq "UDP: port unreachable after" "$(udp_ask)" refused
check "flush" wbnf "$S" rule flush

wb_log "-- LOG is not terminal; index 0 goes first"
ACC=$(wbnf_rule_add "$S" input proto icmp accept)
LOG=$(wbnf_rule_add "$S" input proto icmp log index 0)
check_eq "rule order: log, then accept" \
	"$(wbnf "$S" rule list input | awk '{ print $3 }' | paste -sd' ')" "$LOG $ACC"
MARK=$(kmsg_mark)
check "C2 pings S" ping_from "$C2" 10.0.72.2 10.0.72.1 2
check "LOG line for rule $LOG" sh -c \
	"dmesg | sed -n '/$MARK/,\$p' | grep -q 'wirebox: INPUT IN=s2 OUT= SRC=10.0.72.2 DST=10.0.72.1 .* VERDICT=LOG RULE=$LOG '"
check_eq "both rules counted both echoes" \
	"$(wbnf_rule_field "$S" "$LOG" packets) $(wbnf_rule_field "$S" "$ACC" packets)" "2 2"
check "flush" wbnf "$S" rule flush

wb_log "-- loopback only, policy drop"
check "rule add input iif lo accept" wbnf "$S" rule add input iif lo accept
pol0=$(wbnf_stat "$S" input ipv4 policy_packets)
check "policy set input drop" wbnf "$S" policy set input drop
check "policy show says so" sh -c \
	"ip netns exec $S $WBCTL policy show | grep -qx 'input policy drop'"
check "S pings itself on lo" ip netns exec "$S" ping -c 1 -W 2 -q 127.0.0.1
check_fail "C2 cannot ping S" ping_from "$C2" 10.0.72.2 10.0.72.1 2
check "the policy counted the 2 echoes" \
	test "$(wbnf_stat "$S" input ipv4 policy_packets)" -ge $((pol0 + 2))

wb_log "-- SSH from one subnet"
check "rule add input src 10.0.71.0/24 proto tcp dport 22 accept" \
	wbnf "$S" rule add input src 10.0.71.0/24 proto tcp dport 22 accept
check_eq "C1 (10.0.71.0/24) connects to 22" "$(tcp_connect "$C1" 10.0.71.1 22)" ok
check_eq "C2 (10.0.72.0/24) times out on 22" "$(tcp_connect "$C2" 10.0.72.1 22)" timeout
check_eq "C1 times out on 8080" "$(tcp_connect "$C1" 10.0.71.1 8080)" timeout

wb_log "-- an unprivileged user changes nothing"
before=$(wbnf "$S" rule list)
nobody() { ip netns exec "$S" setpriv --reuid=65534 --regid=65534 --clear-groups "$WBCTL" "$@"; }
nobody rule add input drop 2>"$TMP/err"
check_eq "nobody: rule add exits 2" "$?" 2
check "nobody: says Operation not permitted" grep -q 'Operation not permitted' "$TMP/err"
nobody policy set input accept 2>/dev/null
check_eq "nobody: policy set exits 2" "$?" 2
nobody rule flush 2>/dev/null
check_eq "nobody: rule flush exits 2" "$?" 2
check_eq "rules unchanged" "$(wbnf "$S" rule list)" "$before"
check "policy still drop" sh -c \
	"ip netns exec $S $WBCTL policy show | grep -qx 'input policy drop'"

wb_log "-- per-netns: S's rules do not touch C1's packets"
check_eq "C1 has no rules" "$(wbnf "$C1" rule list)" ""
check "C1 policies are accept" sh -c \
	"ip netns exec $C1 $WBCTL policy show | grep -qx 'input policy accept'"
check "C1 pings itself" ip netns exec "$C1" ping -c 1 -W 2 -q 10.0.71.2
check "policy set input drop in C1" wbnf "$C1" policy set input drop
check "S still pings itself" ip netns exec "$S" ping -c 1 -W 2 -q 127.0.0.1
check "policy set input accept in C1" wbnf "$C1" policy set input accept

wb_log "-- restore replaces everything at once, under traffic"
cat >"$TMP/a.rules" <<'EOT'
# set A
policy input drop
input iif lo accept
input proto icmp accept
EOT
cat >"$TMP/b.rules" <<'EOT'
# set B: the same packets accepted, by other rules in another order
policy input drop
input proto udp dport 9 drop
input src 10.0.71.0/24 proto icmp accept
input iif lo accept
input proto icmp icmp-type echo-request accept
EOT
check "restore set A" wbnf "$S" rule restore "$TMP/a.rules"
check_eq "set A: 2 rules" "$(wbnf "$S" rule list | wc -l)" 2
pol0=$(wbnf_stat "$S" input ipv4 policy_packets)
# 50 swaps while echoes go every 20 ms, however long the swaps take (a
# second each under a debug kernel); then ping stops (SIGINT: it prints
# its summary), one echo may still be on its way
ip netns exec "$C1" ping -i 0.02 -W 2 -q 10.0.71.1 >"$TMP/ping" 2>&1 &
PING=$!
on_exit "kill $PING 2>/dev/null"
sleep 0.5
# one shell in S: no `ip netns exec` per swap
n=$(ip netns exec "$S" sh -c '
n=0
while [ $n -lt 50 ]; do
	"$1" rule restore "$2/b.rules" && "$1" rule restore "$2/a.rules" || break
	n=$((n + 1))
done
echo $n' sh "$WBCTL" "$TMP")
sleep 0.5
kill -INT "$PING"
wait "$PING"
read -r sent got < <(awk '/packets transmitted/ { print $1, $4 }' "$TMP/ping")
check "50 A/B swaps under ping ($n)" test "$n" -eq 50
check "echoes went through the swaps ($sent)" test "${sent:-0}" -ge 20
check "no echo lost ($got of $sent answered)" \
	test "${got:-0}" -ge $((${sent:-0} - 1))
check_eq "the input policy dropped none of them" \
	"$(wbnf_stat "$S" input ipv4 policy_packets)" "$pol0"
check "restore an empty file: no rules, policies accept" \
	wbnf "$S" rule restore /dev/null
check_eq "no rules" "$(wbnf "$S" rule list)" ""
check "input policy accept" sh -c \
	"ip netns exec $S $WBCTL policy show | grep -qx 'input policy accept'"

wb_exit

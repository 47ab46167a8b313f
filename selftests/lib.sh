#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the wirebox netns shell tests. Source it, then:
#
#	setup_ns NS1 NS2	# random names into $NS1 $NS2, removed on exit
#	check "what" cmd...	# run cmd, count pass/fail, print the result
#	check_fail "what" cmd...	# cmd must fail
#	wb_exit			# exit 0 (all passed) / 1 (a check failed)
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.

ksft_pass=0
ksft_fail=1
ksft_skip=4

WB_ROOT=${WB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
WBCTL=${WBCTL:-$WB_ROOT/userspace/wbctl}
WB_NS_LIST=()
WB_CLEANUP=()
nchecks=0
nfail=0

wb_log() { echo "# $*"; }

skip() {
	wb_log "SKIP: $*"
	exit $ksft_skip
}

# Run cleanups in reverse order, then delete the namespaces.
wb_cleanup() {
	local i
	for ((i = ${#WB_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${WB_CLEANUP[i]}" >/dev/null 2>&1
	done
	for i in "${WB_NS_LIST[@]}"; do
		ip netns del "$i" >/dev/null 2>&1
	done
}
trap wb_cleanup EXIT

on_exit() { WB_CLEANUP+=("$*"); }

# setup_ns VAR... : create a netns with a random name for each VAR, lo up.
setup_ns() {
	local var name
	for var in "$@"; do
		name="$var-$(mktemp -u XXXXXX)"
		ip netns add "$name" || return 1
		ip -n "$name" link set lo up
		WB_NS_LIST+=("$name")
		eval "$var=$name"
	done
}

check() {
	local what=$1
	shift
	nchecks=$((nchecks + 1))
	if "$@"; then
		wb_log "ok:   $what"
	else
		wb_log "FAIL: $what (rc=$?: $*)"
		nfail=$((nfail + 1))
	fi
}

check_fail() {
	local what=$1
	shift
	nchecks=$((nchecks + 1))
	if "$@"; then
		wb_log "FAIL: $what (succeeded, expected failure: $*)"
		nfail=$((nfail + 1))
	else
		wb_log "ok:   $what"
	fi
}

# check_eq WHAT GOT WANT
check_eq() {
	nchecks=$((nchecks + 1))
	if [ "$2" = "$3" ]; then
		wb_log "ok:   $1 ($2)"
	else
		wb_log "FAIL: $1: got '$2', want '$3'"
		nfail=$((nfail + 1))
	fi
}

# bail_on_fail: stop the test here, through wb_exit, if a check failed so
# far: for setup steps nothing after them can do without.
bail_on_fail() {
	[ "$nfail" -eq 0 ] && return 0
	wb_log "stopping: the setup failed"
	wb_exit
}

wb_exit() {
	wb_log "$((nchecks - nfail))/$nchecks checks passed"
	[ "$nfail" -eq 0 ] && exit $ksft_pass
	exit $ksft_fail
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip "$c not installed"
	done
}

require_module() {
	local m=$1
	grep -q "^$m " /proc/modules && return 0
	if [ -n "${WB_MODDIR:-}" ]; then
		insmod "$WB_MODDIR"/*/"$m.ko" 2>/dev/null && return 0
	fi
	modprobe "$m" 2>/dev/null || skip "module $m not loaded"
}

# Link attributes read back from sysfs inside a netns.
link_attr() {	# NS DEV ATTR
	ip netns exec "$1" cat "/sys/class/net/$2/$3"
}

# ethtool -S value of one counter.
ethtool_stat() {	# NS DEV NAME
	ip netns exec "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }'
}

# 64-bit rtnetlink stats (ip -s -j link).
link_stat() {	# NS DEV rx|tx FIELD
	ip -n "$1" -s -j link show dev "$2" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"][sys.argv[1]][sys.argv[2]])' "$3" "$4"
}

# Wait up to $1 seconds for a command to succeed.
wait_for() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# ---------------------------------------------------------------- wbpair

# Top-level field of `ip -d -j link show` (empty if absent).
link_json() {	# NS DEV KEY
	ip -n "$1" -d -j link show dev "$2" |
		python3 -c 'import json,sys; v=json.load(sys.stdin)[0].get(sys.argv[1]); print("" if v is None else v)' "$3"
}

# link_attr_is NS DEV ATTR VALUE: the sysfs attribute reads VALUE.
link_attr_is() {
	[ "$(link_attr "$1" "$2" "$3" 2>/dev/null)" = "$4" ]
}

link_ifindex() {	# NS DEV
	link_attr "$1" "$2" ifindex
}

link_mac() {	# NS DEV
	link_attr "$1" "$2" address
}

# Name of the device with ifindex IDX in NS (empty if none).
link_by_index() {	# NS IDX
	ip -n "$1" -o link show | awk -F': ' -v i="$2" \
		'$1 == i { sub(/@.*/, "", $2); print $2 }'
}

# wbpair_add NS NAME PEER [PEERNS]: `ip link add NAME type wbpair` in NS
# (iproute2 cannot name the peer of this kind), then rename the peer the
# kernel named wbpairN to PEER and move it to PEERNS (default: NS).
wbpair_add() {
	local ns=$1 name=$2 peer=$3 peerns=${4:-$1} idx tmp

	ip -n "$ns" link add name "$name" type wbpair || return 1
	idx=$(link_attr "$ns" "$name" iflink) || return 1
	tmp=$(link_by_index "$ns" "$idx")
	if [ -z "$tmp" ] || [ "$tmp" = "$name" ]; then
		wb_log "wbpair_add: no peer of $name (iflink $idx) in $ns"
		return 1
	fi
	if [ "$peerns" = "$ns" ]; then
		ip -n "$ns" link set dev "$tmp" name "$peer"
	else
		ip -n "$ns" link set dev "$tmp" name "$peer" netns "$peerns"
	fi
}

# wbctl_has_napi: $WBCTL exists and knows `pair add ... mode napi`.
wbctl_has_napi() {
	[ -x "$WBCTL" ] && "$WBCTL" pair help 2>&1 | grep -q 'napi'
}

# Run a command in NS in the background, its pid in $BG_PID, killed on exit.
bg_run() {	# NS CMD...
	local ns=$1
	shift
	ip netns exec "$ns" "$@" &
	BG_PID=$!
	on_exit "kill $BG_PID"
}

# capture_start NS DEV COUNT FILTER FILE: tcpdump -l text of COUNT packets
# to FILE (at most 60 s); returns once tcpdump listens. Wait with
# `wait $BG_PID` (0: COUNT packets seen).
capture_start() {
	local ns=$1 dev=$2 count=$3 filter=$4 file=$5

	# shellcheck disable=SC2086 # FILTER: one word per pcap-filter token
	bg_run "$ns" timeout 60 tcpdump -i "$dev" -nn -l -c "$count" \
		$filter >"$file" 2>"$file.err"
	wait_for 30 sh -c "grep -q 'listening on' '$file.err' ||
		! kill -0 $BG_PID 2>/dev/null"
	grep -q 'listening on' "$file.err" || { cat "$file.err"; return 1; }
}

# wait_listen NS PORT [PID]: a TCP socket listens on PORT in NS (gives up
# early if process PID is gone).
wait_listen() {
	wait_for 30 sh -c "ip netns exec '$1' ss -Htln 'sport = :$2' | grep -q . ||
		{ [ -n '${3:-}' ] && ! kill -0 '${3:-}' 2>/dev/null; }" &&
		ip netns exec "$1" ss -Htln "sport = :$2" | grep -q .
}

# tcp_xfer SRVNS SRVADDR CLINS BYTES PORT DIR: send BYTES of random data from
# CLINS to SRVADDR:PORT in SRVNS with socat (scratch files in DIR, at most
# 60 s) and compare sha256 of what was sent and received.
tcp_xfer() {
	local srvns=$1 addr=$2 clins=$3 bytes=$4 port=$5 dir=$6 srv rc

	head -c "$bytes" /dev/urandom >"$dir/tx.$port" || return 1
	rm -f "$dir/rx.$port"
	ip netns exec "$srvns" timeout 60 socat -u \
		"TCP-LISTEN:$port,bind=$addr,reuseaddr" \
		"CREATE:$dir/rx.$port" &
	srv=$!
	if ! wait_listen "$srvns" "$port" "$srv"; then
		kill "$srv" 2>/dev/null
		wb_log "tcp_xfer: nothing listens on $addr:$port"
		return 1
	fi
	ip netns exec "$clins" timeout 60 socat -u \
		"OPEN:$dir/tx.$port" "TCP:$addr:$port" || rc=$?
	wait "$srv" || rc=${rc:-$?}
	[ -z "${rc:-}" ] || { wb_log "tcp_xfer: socat failed ($rc)"; return 1; }
	local a b
	a=$(sha256sum <"$dir/tx.$port") b=$(sha256sum <"$dir/rx.$port")
	[ "$a" = "$b" ] || { wb_log "tcp_xfer: sha256 differs" \
		"($(stat -c %s "$dir/rx.$port") of $bytes bytes received)"; return 1; }
}

# send_frames NS DEV COUNT SIZE DSTMAC [ETHERTYPE]: send COUNT raw Ethernet
# frames of SIZE bytes (header included) on DEV with an AF_PACKET socket.
# Fails, saying how many were sent, if a send() did not send the whole frame.
# WB_QDISC_BYPASS=1 sets PACKET_QDISC_BYPASS (frames go to dev_direct_xmit).
send_frames() {
	ip netns exec "$1" python3 -c '
import socket, sys
dev, n, size, dst = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
etype = int(sys.argv[5], 0)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
if int(sys.argv[6]):
    s.setsockopt(263, 20, 1)	# SOL_PACKET, PACKET_QDISC_BYPASS
s.bind((dev, 0))
src = open("/sys/class/net/%s/address" % dev).read().strip()
hdr = bytes.fromhex(dst.replace(":", "")) + bytes.fromhex(src.replace(":", ""))
frame = hdr + etype.to_bytes(2, "big") + bytes(i & 0xff for i in range(size - 14))
ok, err = 0, "short send"
for i in range(n):
    try:
        if s.send(frame) == size:
            ok += 1
    except OSError as e:
        err = e
if ok != n:
    print("send_frames: %d of %d frames sent (%s)" % (ok, n, err), file=sys.stderr)
    sys.exit(1)
' "$2" "$3" "$4" "$5" "${6:-0x88b5}" "${WB_QDISC_BYPASS:-0}"
}

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

# secs_between T0 T1: seconds from T0 to T1 ($EPOCHREALTIME values), 0.1 s
secs_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

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

# ipv6_off NS...: no IPv6 in these namespaces (no router solicitation, DAD
# or MLD frame in a test's counts); skips the test where it cannot.
ipv6_off() {
	local ns

	for ns; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 ||
			skip "cannot disable IPv6 in $ns"
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
		module_load "$m" 2>/dev/null && return 0
	fi
	modprobe "$m" 2>/dev/null || skip "module $m not loaded"
}

module_loaded() {	# NAME
	grep -q "^$1 " /proc/modules
}

# module_file NAME: the NAME.ko in $WB_MODDIR, else the one modprobe would
# load; fails if there is neither (then the module cannot be reloaded).
module_file() {
	local f
	for f in "${WB_MODDIR:-/nonexistent}"/*/"$1.ko"; do
		[ -e "$f" ] && { echo "$f"; return 0; }
	done
	f=$(modinfo -F filename "$1" 2>/dev/null) && [ -n "$f" ] && echo "$f"
}

# module_load NAME [PARAM=VALUE...]: insmod from $WB_MODDIR, else modprobe.
module_load() {
	local m=$1 f
	shift
	f=$(module_file "$m") || return 1
	case $f in
	"${WB_MODDIR:-/nonexistent}"/*)
		# insmod loads no dependencies: modprobe them first
		for d in $(modinfo -F depends "$f" | tr , ' '); do
			modprobe "$d" || return 1
		done
		insmod "$f" "$@"
		;;
	*) modprobe "$m" "$@" ;;
	esac
}

# module_unload NAME [SECONDS]: rmmod, which must return within SECONDS
# (default 30; a device whose references never drop keeps rmmod waiting in
# unregister_netdevice, and the console says "waiting for DEV to become free").
module_unload() {
	local m=$1 t=${2:-30} pid
	rmmod "$m" &
	pid=$!
	if ! wait_for "$t" sh -c "! kill -0 $pid 2>/dev/null"; then
		wb_log "rmmod $m still running after ${t}s"
		return 1
	fi
	wait "$pid"
}

# Link attributes read back from sysfs inside a netns.
link_attr() {	# NS DEV ATTR
	ip netns exec "$1" cat "/sys/class/net/$2/$3"
}

# ethtool -S value of one counter.
ethtool_stat() {	# NS DEV NAME
	ip netns exec "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }'
}

# 64-bit rtnetlink stats (ip -s -s -j link: the error details too, e.g.
# rx missed_errors, length_errors; tx carrier_errors).
link_stat() {	# NS DEV rx|tx FIELD
	ip -n "$1" -s -s -j link show dev "$2" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"][sys.argv[1]][sys.argv[2]])' "$3" "$4"
}

# dev_counters NS DEV: every counter of DEV, "NAME VALUE" a line, in one
# netns exec: the ethtool -S names as they are; the rtnetlink stats from
# /sys/class/net/DEV/statistics as stat.NAME (stat.rx_packets,
# stat.rx_missed_errors...); and sums over the queues of per-queue ethtool
# counters: rx_queue_N_X as qsum.rx_X, tx_queue_N_X as qsum.tx_X,
# queue_N_X as qsum.X.
dev_counters() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	ip netns exec "$1" sh -c 'ethtool -S "$0" 2>/dev/null
		cd "/sys/class/net/$0/statistics" &&
			grep -H . -- * | sed "s/^/stat./; s/:/: /"' "$2" |
		awk '
		{ k = $1; sub(/:$/, "", k) }
		NF != 2 || $2 !~ /^[0-9]+$/ { next }
		{ print k, $2 }
		k ~ /^(rx|tx)_queue_[0-9]+_/ {
			s = k; sub(/_queue_[0-9]+_/, "_", s); sum["qsum." s] += $2
		}
		k ~ /^queue_[0-9]+_/ {
			s = k; sub(/^queue_[0-9]+_/, "", s); sum["qsum." s] += $2
		}
		END { for (s in sum) printf "%s %.0f\n", s, sum[s] }'
}

# counters_snap ARRAY NS DEV: dev_counters into ARRAY, an associative array
# the caller declared (declare -A ARRAY).
counters_snap() {
	local -n _snap=$1
	local k v
	_snap=()
	while read -r k v; do
		# shellcheck disable=SC2004 # a nameref to an associative array
		_snap[$k]=$v
	done < <(dev_counters "$2" "$3")
}

# counters_snap_quiet ARRAY NS DEV: counters_snap taken while DEV counts
# nothing, for checks that compare counters read at different moments
# (ethtool -S and sysfs are two reads: a stray frame, an ARP probe, between
# them is in one and not the other). Two snapshots in a row with the same
# packet counts, or after 6 snapshots the last one.
counters_snap_quiet() {
	local -n _q=$1
	local i k cur prev=
	for ((i = 0; i < 6; i++)); do
		counters_snap "$1" "$2" "$3"
		cur=
		for k in qsum.rx_packets qsum.tx_packets stat.rx_packets stat.tx_packets; do
			cur+=" ${_q[$k]:-}"
		done
		[ "$cur" = "$prev" ] && return 0
		prev=$cur
	done
	wb_log "counters_snap_quiet: $3 kept counting over 6 snapshots"
}

# counter_ge NS DEV KEY MIN: counter KEY of dev_counters is at least MIN
# (for wait_for).
counter_ge() {
	local v
	v=$(dev_counters "$1" "$2" | awk -v k="$3" '$1 == k { print $2 }')
	[ -n "$v" ] && [ "$v" -ge "$4" ]
}

# cdelta BEFORE AFTER KEY: how much KEY grew from snapshot BEFORE to AFTER;
# "missing(KEY)" if either snapshot lacks it (so a check_eq on it fails).
cdelta() {
	local -n _b=$1 _a=$2
	if [ -z "${_b[$3]+x}" ] || [ -z "${_a[$3]+x}" ]; then
		echo "missing($3)"
		return
	fi
	echo $(( ${_a[$3]} - ${_b[$3]} ))
}

# ethtool_feature NS DEV NAME: on or off, as `ethtool -k DEV` shows NAME.
ethtool_feature() {
	ip netns exec "$1" ethtool -k "$2" | awk -v k="$3:" '$1 == k { print $2 }'
}

# tcpdump_longest FILE: the longest Ethernet frame in a tcpdump -e capture.
tcpdump_longest() {
	sed -n 's/.*, length \([0-9]*\): .*/\1/p' "$1" | sort -n | tail -n1
}

# tcp_csum_errors NS: TCP checksum and IPv4/IPv6 header errors so far.
tcp_csum_errors() {
	ip netns exec "$1" nstat -az TcpInCsumErrors Ip6InHdrErrors IpInHdrErrors |
		awk 'NR > 1 { n += $2 } END { print n + 0 }'
}

# ethtool_ns NS DEV OPT ARGS...: `ethtool OPT DEV ARGS` in NS.
ethtool_ns() {
	local ns=$1 dev=$2 opt=$3
	shift 3
	ip netns exec "$ns" ethtool "$opt" "$dev" "$@"
}

# rx_accounted NS DEV MIN: DEV's received + missed frames (stats64
# rx_packets + ethtool rx_missed) reach MIN (for wait_for).
rx_accounted() {
	local v
	v=$(dev_counters "$1" "$2" |
		awk '$1 == "stat.rx_packets" || $1 == "rx_missed" { n += $2 } END { printf "%.0f", n }')
	[ "$v" -ge "$3" ]
}

# ethtool_cur NS DEV -g|-l|-c KEY...: the values of KEY... (the word before
# the colon: RX, TX, Combined, rx-usecs...) in `ethtool OPT DEV`, one line,
# space-separated. For -g and -l, where a key appears twice (maximum, then
# current), the current value.
ethtool_cur() {
	local ns=$1 dev=$2 opt=$3
	shift 3
	ip netns exec "$ns" ethtool "$opt" "$dev" | awk -v keys="$*" '
		$1 ~ /:$/ && NF >= 2 { k = $1; sub(/:$/, "", k); v[k] = $2 }
		END {
			n = split(keys, ks, " ")
			for (i = 1; i <= n; i++)
				printf "%s%s", v[ks[i]], (i < n ? " " : "\n")
		}'
}

# ethtool_try NS DEV OPT "SETTINGS"...: `ethtool OPT DEV SETTINGS` with the
# first of the SETTINGS the device accepts (for limits a driver may set, like
# the largest rx-usecs); prints the SETTINGS that worked, fails if none did.
ethtool_try() {
	local ns=$1 dev=$2 opt=$3 set
	shift 3
	for set in "$@"; do
		# shellcheck disable=SC2086 # SETTINGS: one word per token
		if ip netns exec "$ns" ethtool "$opt" "$dev" $set 2>/dev/null; then
			echo "$set"
			return 0
		fi
	done
	return 1
}

# link_ready NS DEV: carrier on and operstate up, i.e. linkwatch has seen
# the carrier and activated the qdisc: frames sent now are not dropped
# (right after a carrier change the noop qdisc drops them silently).
link_ready() {
	link_attr_is "$1" "$2" carrier 1 && link_attr_is "$1" "$2" operstate up
}

# bql_off NS DEV: lift the byte queue limit of DEV's TX queues (a huge
# limit_min), so that only the driver's ring stops a queue and a burst
# reaches the device at once. Applies to the TX queues that exist now.
bql_off() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	ip netns exec "$1" sh -c 'for f in /sys/class/net/$0/queues/tx-*/byte_queue_limits/limit_min; do
		[ -w "$f" ] && echo 100000000 >"$f"; done; true' "$2"
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
# (plain ip, without wirebox's link_wbpair.so plugin, cannot name the peer
# of this kind: the tests use the ip they find), then rename the peer the
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

# xfer_stall_report SRVNS CLINS PORT SECS: what a transfer still running
# SECS into its limit looks like: its sockets and its sender's TCP (ss,
# nstat); then xfer_stall_hook, if the test defines one (the devices' state).
xfer_stall_report() {
	wb_log "tcp_xfer: port $3 not done $4 s into its limit: the sockets, the sender's TCP counters"
	# (ss's cgroup column wants a cgroup2 mount; the guest has none)
	ip netns exec "$2" ss -tnoie "( dport = :$3 )" 2>&1 | grep -v cgroup2 |
		sed 's/^/#   client: /'
	ip netns exec "$1" ss -tnoie "( sport = :$3 )" 2>&1 | grep -v cgroup2 |
		sed 's/^/#   server: /'
	ip netns exec "$2" nstat -asz TcpRetransSegs TcpExtTCPTimeouts \
		TcpExtTCPSpuriousRtxHostQueues TcpExtTCPLossProbes 2>&1 |
		sed 's/^/#   client: /'
	if declare -F xfer_stall_hook >/dev/null; then
		xfer_stall_hook 2>&1 | sed 's/^/#   /'
	fi
}

# tcp_xfer SRVNS SRVADDR CLINS BYTES PORT DIR: send BYTES of random data from
# CLINS to SRVADDR:PORT in SRVNS with socat (scratch files in DIR, at most
# WB_XFER_TIMEOUT s, default 60) and compare sha256 of what was sent and
# received. SRVADDR may be an IPv6 address (no brackets). A transfer still
# running 15 s before its limit has stalled: xfer_stall_report says where,
# while its sockets still exist.
#
# With XFER_STREAM=SECS (xfer_start), a python client sends 64 KiB chunks
# paced so that BYTES take SECS, and goes on at that pace until xfer_end
# leaves DIR/end.PORT (at most 600 s); DIR/tx.PORT is what it sent, and
# the limit counts from its last send.
tcp_xfer() {
	local srvns=$1 addr=$2 clins=$3 bytes=$4 port=$5 dir=$6 srv cl rc wd
	local tcp=TCP sa=$addr tmo=${WB_XFER_TIMEOUT:-60} stream=${XFER_STREAM:-}
	local outer=$tmo

	case $addr in
	*:*) tcp=TCP6 sa="[$addr]" ;;
	esac
	rm -f "$dir/rx.$port" "$dir/up.$port" "$dir/sent.$port" "$dir/end.$port"
	if [ -n "$stream" ]; then
		outer=$((600 + tmo))	# the watchdog enforces tmo
	else
		head -c "$bytes" /dev/urandom >"$dir/tx.$port" || return 1
	fi
	ip netns exec "$srvns" timeout "$outer" socat -u \
		"$tcp-LISTEN:$port,bind=$sa,reuseaddr" \
		"CREATE:$dir/rx.$port" &
	srv=$!
	if ! wait_listen "$srvns" "$port" "$srv"; then
		kill "$srv" 2>/dev/null
		wb_log "tcp_xfer: nothing listens on $addr:$port"
		return 1
	fi
	if [ -n "$stream" ]; then
		ip netns exec "$clins" timeout "$outer" python3 -c '
import os, socket, sys, time
tx, addr, port, nbytes, secs, up, end, sent = sys.argv[1:9]
chunk = 65536
n = max(1, (int(nbytes) + chunk - 1) // chunk)
gap, stop = float(secs) / n, time.monotonic() + 600
s = socket.create_connection((addr, int(port)))
open(up, "w").close()	# connected: xfer_start waits for this
with open(tx, "wb") as f:
    i = 0
    while i < n or not (os.path.exists(end) or time.monotonic() > stop):
        d = os.urandom(chunk)
        s.sendall(d)
        f.write(d)
        i += 1
        time.sleep(gap)
open(sent, "w").close()
s.close()' "$dir/tx.$port" "$addr" "$port" "$bytes" "$stream" \
			"$dir/up.$port" "$dir/end.$port" "$dir/sent.$port" &
	else
		ip netns exec "$clins" timeout "$tmo" socat -u \
			"OPEN:$dir/tx.$port" "$tcp:$sa:$port" &
	fi
	cl=$!
	# by the clock, not a count of sleeps: on the debug kernel a fork
	# and exec of sleep takes longer than the sleep itself
	(
		end=
		while kill -0 "$srv" 2>/dev/null; do
			# streaming: from the last send, or the client's end
			if [ -z "$end" ] && { [ -z "$stream" ] || [ -e "$dir/sent.$port" ] ||
				! kill -0 "$cl" 2>/dev/null; }; then
				end=$((SECONDS + tmo))
			fi
			if [ -n "$end" ] && [ "$SECONDS" -ge $((end - 15)) ]; then
				xfer_stall_report "$srvns" "$clins" "$port" $((tmo - 15))
				while [ "$SECONDS" -lt "$end" ] && kill -0 "$srv" 2>/dev/null; do
					sleep 0.2
				done
				kill "$srv" "$cl" 2>/dev/null
				exit 0
			fi
			sleep 0.2
		done
	) &
	wd=$!
	wait "$cl" || rc=$?
	wait "$srv" || rc=${rc:-$?}
	wait "$wd"
	[ -z "${rc:-}" ] || { wb_log "tcp_xfer: the transfer failed (exit status $rc)"; return 1; }
	local a b
	a=$(sha256sum <"$dir/tx.$port") b=$(sha256sum <"$dir/rx.$port")
	[ "$a" = "$b" ] || { wb_log "tcp_xfer: sha256 differs" \
		"($(stat -c %s "$dir/rx.$port") of $(stat -c %s "$dir/tx.$port") bytes received)"; return 1; }
}

# xfer_start SRVNS SRVADDR CLINS BYTES PORT DIR: a TCP transfer that lasts
# as long as what the caller does meanwhile, however slow the VM: tcp_xfer
# in the background, streaming at least BYTES (paced as BYTES in
# WB_XFER_SECS seconds, default 4) until xfer_end. Its pid is in $XFER_PID
# (stopped on exit). Returns once the client has connected (it leaves
# DIR/up.PORT then); fails if the transfer ended (or never connected) first.
xfer_start() {
	local port=$5 dir=$6

	# tcp_xfer removes it too, but only once it runs: a mark left by an
	# earlier transfer on this port must not be seen before that
	rm -f "$dir/up.$port"
	XFER_STREAM=${WB_XFER_SECS:-4} tcp_xfer "$@" &
	XFER_PID=$!
	on_exit "touch '$dir/end.$port'; kill $XFER_PID"
	wait_for 60 sh -c "[ -e '$dir/up.$port' ] || ! kill -0 $XFER_PID 2>/dev/null"
	[ -e "$dir/up.$port" ] && kill -0 "$XFER_PID" 2>/dev/null
}

# xfer_end PORT DIR: let xfer_start's transfer finish; its result (the
# data arrived intact within WB_XFER_TIMEOUT s of the last send).
xfer_end() {
	: >"$2/end.$1"
	wait "$XFER_PID"
}

# send_frames NS DEV COUNT SIZE DSTMAC [ETHERTYPE]: send COUNT raw Ethernet
# frames of SIZE bytes (header included) on DEV with an AF_PACKET socket.
# Fails, saying how many were sent, if a send() did not send the whole frame.
# WB_QDISC_BYPASS=1 sets PACKET_QDISC_BYPASS (frames go to dev_direct_xmit);
# WB_FRAME_GAP=SECONDS sleeps that long after each frame; WB_FRAME_SNDBUF=BYTES
# sets the socket's send buffer (SO_SNDBUFFORCE): by default a send blocks
# once the frames not yet reclaimed (in the qdisc or the ring) fill
# net.core.wmem_default.
send_frames() {
	ip netns exec "$1" python3 -c '
import socket, sys, time
dev, n, size, dst = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
etype = int(sys.argv[5], 0)
gap = float(sys.argv[7])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
if int(sys.argv[8]):
    s.setsockopt(socket.SOL_SOCKET, 32, int(sys.argv[8]))	# SO_SNDBUFFORCE
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
    if gap:
        time.sleep(gap)
if ok != n:
    print("send_frames: %d of %d frames sent (%s)" % (ok, n, err), file=sys.stderr)
    sys.exit(1)
' "$2" "$3" "$4" "$5" "${6:-0x88b5}" "${WB_QDISC_BYPASS:-0}" \
		"${WB_FRAME_GAP:-0}" "${WB_FRAME_SNDBUF:-0}"
}

# ---------------------------------------------------------------- wbnic

# napi_defer NS DEV N NS: the kernel's IRQ deferral for DEV: after a
# poll, the interrupt stays masked and NAPI is polled again NS
# nanoseconds later, N times (0 0: off)
napi_defer() {
	ip netns exec "$1" sh -c "echo $3 >/sys/class/net/$2/napi_defer_hard_irqs &&
		echo $4 >/sys/class/net/$2/gro_flush_timeout"
}

# wbctl_has_nic: $WBCTL exists and knows the nic object.
wbctl_has_nic() {
	[ -x "$WBCTL" ] && "$WBCTL" nic help 2>&1 | grep -q cable
}

# wbnic_report NS DEV [NS DEV...]: each wbnic's queues (wbctl nic show),
# its nonzero ethtool -S counters, link statistics and qdiscs (what a
# test's xfer_stall_hook prints).
wbnic_report() {
	while [ $# -ge 2 ]; do
		echo "$2:"
		"$WBCTL" -n "$1" nic show "$2"
		ip netns exec "$1" ethtool -S "$2" | awk '$2 != 0'
		ip -n "$1" -s link show dev "$2"
		tc -n "$1" -s qdisc show dev "$2"
		shift 2
	done
}

# wbnic_json NS DEV PATH...: fields of `wbctl -j nic show DEV` in NS (NS ""
# for the current one), one line each. A PATH is keys and list indexes
# joined by dots: peer, wire.tx, queues.0.rx.missed. Booleans print as
# true/false, a list as its length, an absent or null field as "".
wbnic_json() {
	local ns=$1 dev=$2
	shift 2
	"$WBCTL" ${ns:+-n "$ns"} -j nic show "$dev" | python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)
    nic = v[0] if isinstance(v, list) and v else {}
except ValueError:
    nic = {}
for path in sys.argv[1:]:
    v = nic
    for k in path.split("."):
        if isinstance(v, list) and k.isdigit() and int(k) < len(v):
            v = v[int(k)]
        elif isinstance(v, dict):
            v = v.get(k)
        else:
            v = None
        if v is None:
            break
    if v is None:
        print("")
    elif isinstance(v, bool):
        print("true" if v else "false")
    elif isinstance(v, list):
        print(len(v))
    else:
        print(v)' "$@"
}

# wbnic_cabled_pair NSA A NSB B N: wbnic A and B made in NSA, cabled there,
# B moved to NSB (the cable goes along); A gets 10.0.N.1/24, B 10.0.N.2/24,
# and fd00:N::1/64, fd00:N::2/64 (nodad) where IPv6 is on; both up, with
# carrier (link_ready). NSA and NSB may be the same.
wbnic_cabled_pair() {
	local nsa=$1 a=$2 nsb=$3 b=$4 n=$5

	ip -n "$nsa" link add name "$a" type wbnic || return 1
	ip -n "$nsa" link add name "$b" type wbnic || return 1
	"$WBCTL" -n "$nsa" nic cable "$a" "$b" || return 1
	if [ "$nsa" != "$nsb" ]; then
		ip -n "$nsa" link set dev "$b" netns "$nsb" || return 1
	fi
	ip -n "$nsa" addr add "10.0.$n.1/24" dev "$a" || return 1
	ip -n "$nsb" addr add "10.0.$n.2/24" dev "$b" || return 1
	if [ "$(ip netns exec "$nsa" sysctl -n "net.ipv6.conf.$a.disable_ipv6" 2>/dev/null)" = 0 ]; then
		ip -n "$nsa" addr add "fd00:$n::1/64" dev "$a" nodad || return 1
	fi
	if [ "$(ip netns exec "$nsb" sysctl -n "net.ipv6.conf.$b.disable_ipv6" 2>/dev/null)" = 0 ]; then
		ip -n "$nsb" addr add "fd00:$n::2/64" dev "$b" nodad || return 1
	fi
	ip -n "$nsa" link set dev "$a" up || return 1
	ip -n "$nsb" link set dev "$b" up || return 1
	if ! wait_for 10 link_ready "$nsa" "$a" ||
	   ! wait_for 10 link_ready "$nsb" "$b"; then
		wb_log "wbnic_cabled_pair: $a carrier $(link_attr "$nsa" "$a" carrier 2>&1)" \
		       "operstate $(link_attr "$nsa" "$a" operstate 2>&1)," \
		       "$b carrier $(link_attr "$nsb" "$b" carrier 2>&1)" \
		       "operstate $(link_attr "$nsb" "$b" operstate 2>&1)"
		return 1
	fi
}

# neigh_pin NSA DEVA ADDRA NSB DEVB ADDRB: permanent neighbour entries
# both ways, so no ARP frame joins what a test counts (under a slow TCG
# run, an entry goes stale mid-test and its probe is one frame more).
neigh_pin() {
	ip -n "$1" neigh replace "$6" lladdr "$(link_mac "$4" "$5")" dev "$2" nud permanent &&
	ip -n "$4" neigh replace "$3" lladdr "$(link_mac "$1" "$2")" dev "$5" nud permanent
}

# ------------------------------------------------------------ wirebox_nf

# wbctl_has_nf: $WBCTL exists and knows the rule object.
wbctl_has_nf() {
	[ -x "$WBCTL" ] && "$WBCTL" rule help 2>&1 | grep -q 'restore'
}

# wbnf NS ARGS...: wbctl in NS.
wbnf() {
	local ns=$1
	shift
	ip netns exec "$ns" "$WBCTL" "$@"
}

# wbnf_hook_packets NS FAMILY: the packets counted at each hook of FAMILY
# (ipv4|ipv6), "PRE IN FWD OUT POST", from wbctl -j stats.
wbnf_hook_packets() {
	wbnf "$1" -j stats | python3 -c '
import json, sys
order = ["prerouting", "input", "forward", "output", "postrouting"]
s = {r["hook"]: r for r in json.load(sys.stdin) if r["family"] == sys.argv[1]}
print(" ".join(str(s[h]["packets"]) for h in order))' "$2"
}

# wbnf_stat NS HOOK FAMILY KEY: one field of wbctl -j stats.
wbnf_stat() {
	wbnf "$1" -j stats | python3 -c '
import json, sys
h, f, k = sys.argv[1:]
print([r for r in json.load(sys.stdin) if r["hook"] == h and r["family"] == f][0][k])' "$2" "$3" "$4"
}

# wbnf_rule_field NS ID KEY: one field of rule ID in wbctl -j rule list.
wbnf_rule_field() {
	wbnf "$1" -j rule list | python3 -c '
import json, sys
print([r for r in json.load(sys.stdin) if r["id"] == int(sys.argv[1])][0][sys.argv[2]])' "$2" "$3"
}

# wbnf_rule_add NS ARGS...: wbctl rule add; prints the new rule's id.
wbnf_rule_add() {
	local ns=$1
	shift
	wbnf "$ns" -j rule add "$@" | python3 -c '
import json, sys
print(json.load(sys.stdin)["id"])'
}

# addr_up NS DEV ADDR...: the addresses (IPv6 without DAD), then DEV up.
addr_up() {
	local ns=$1 dev=$2 a
	shift 2
	for a in "$@"; do
		ip -n "$ns" addr add "$a" dev "$dev" nodad || return 1
	done
	ip -n "$ns" link set dev "$dev" up
}

# nf_log_all_netns 0|1: like the LOG target, wirebox_nf writes trace and
# LOG lines of a netns other than the initial one to dmesg only with this
# sysctl on; restored on exit.
nf_log_all_netns() {
	local f=/proc/sys/net/netfilter/nf_log_all_netns old
	old=$(cat $f) || return 1
	on_exit "echo $old >$f"
	echo "$1" >$f
}

# netns_inode NS: the inode the kernel's NS= field shows for NS.
netns_inode() {
	stat -L -c %i "/run/netns/$1"
}

# kmsg_mark: a unique line in the kernel log; prints it.
kmsg_mark() {
	local m="wbtest-mark-$$-$RANDOM$RANDOM"
	echo "$m" >/dev/kmsg
	echo "$m"
}

# kmsg_since MARK: the kernel log after MARK, "wirebox: " lines only,
# without the timestamp.
kmsg_since() {
	dmesg | sed -n "/$1/,\$p" | sed -n 's/^.*\(wirebox: .*\)$/\1/p'
}

# trace_lines MARK NS FILTER: the trace lines, in order, of the first
# packet that NS traced after MARK whose line matches the extended regex
# FILTER (all the lines with its PKT= id).
trace_lines() {
	local lines id
	lines=$(kmsg_since "$1" | grep " NS=$(netns_inode "$2")\$")
	id=$(grep -E -- "$3" <<<"$lines" | head -n1 | sed -n 's/.* PKT=\([0-9a-f]*\) .*/\1/p')
	[ -n "$id" ] || return 0
	grep " PKT=$id " <<<"$lines"
}

# trace_walk MARK NS FILTER: that packet's hooks, in order
# ("PREROUTING FORWARD POSTROUTING").
trace_walk() {
	trace_lines "$1" "$2" "$3" | awk '{ print $2 }' | paste -sd' '
}

# trace_line MARK NS FILTER HOOK: that packet's line at HOOK.
trace_line() {
	trace_lines "$1" "$2" "$3" | grep "^wirebox: $4 "
}

# wbctl_has_ct: $WBCTL knows the ct object.
wbctl_has_ct() {
	[ -x "$WBCTL" ] && "$WBCTL" ct help 2>&1 | grep -q 'flush'
}

# ct_q NS EXPR [LIST ARGS...]: evaluate the Python expression EXPR with L
# bound to `wbctl -j ct list [LIST ARGS]` of NS (a list of entries) and
# print it.
ct_q() {
	local ns=$1 expr=$2
	shift 2
	wbnf "$ns" -j ct list "$@" | python3 -c '
import json, sys
L = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$expr"
}

# ct_stat NS KEY: one counter of `wbctl -j ct stats`.
ct_stat() {
	wbnf "$1" -j ct stats | python3 -c '
import json, sys
print(json.load(sys.stdin)[sys.argv[1]])' "$2"
}

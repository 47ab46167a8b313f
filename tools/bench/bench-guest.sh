#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wirebox benchmarks, guest side: run by tools/bench/bench.sh inside a VM
# (tools/vm-run.sh, modules loaded). Every figure is compared with the
# in-kernel equivalent measured in this same boot, A/B interleaved.
#
#   ns <cfg>-a              ns <cfg>-b
#   +--------+  10.99.N.0/24  +--------+
#   |   ba   |================|   bb   |   iperf3 -s in bb
#   +--------+                +--------+
#
# Configurations (one pair of namespaces each, all built up front):
#   veth         veth, defaults (GRO off: no NAPI, frames go through netif_rx)
#   veth-gro     veth, `ethtool -K gro on` on both ends: NAPI exists, but a
#                skb from a TSO-capable sender is only taken through it when
#                it is locally generated UDP and the receiver has
#                rx-udp-gro-forwarding (veth_skb_is_eligible_for_gro()), so
#                TCP still bypasses NAPI
#   veth-napi    veth, `ethtool -K gro on tso off` on both ends: every frame
#                through veth's NAPI poll and GRO
#   wbpair-xmit  wbpair, mode xmit (the default)
#   wbpair-napi  wbpair, mode napi
#
# Workloads:
#   udp64   iperf3 -u -l 64 -b 0 for WB_BENCH_UDP_SECS (3) seconds; the
#           figure is the receiving device (bb)'s rx_packets delta per second
#   tcp     iperf3 TCP bulk for WB_BENCH_TCP_SECS (4) seconds after a 1 s
#           omitted warm-up; the figure is the receiver's bits per second
#   mem     slab object size of "wirebox_ct" vs "nf_conntrack" (once)
#
# WB_BENCH_ROUNDS (3) rounds; configurations run in the order above on odd
# rounds and reversed on even ones. Results (raw.tsv, results.json,
# results.md) go to $WB_OUTDIR/bench. A benchmark never fails on a number:
# the exit status is non-zero only if the setup itself failed.
set -uo pipefail

WB_ROOT=${WB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
WBCTL=${WBCTL:-$WB_ROOT/userspace/wbctl}
ROUNDS=${WB_BENCH_ROUNDS:-3}
UDP_SECS=${WB_BENCH_UDP_SECS:-3}
TCP_SECS=${WB_BENCH_TCP_SECS:-4}
OUT=${WB_OUTDIR:-/tmp/wb-out}/bench
CONFIGS=(veth veth-gro veth-napi wbpair-xmit wbpair-napi)
SUFFIX=$(mktemp -u XXXX)
PIDS=()

log() { echo "bench: $*"; }

cleanup() {
	local p c
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for c in "${CONFIGS[@]}"; do
		ip netns del "$c-a-$SUFFIX" 2>/dev/null
		ip netns del "$c-b-$SUFFIX" 2>/dev/null
	done
}
trap cleanup EXIT

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# make_link CFG NSA NSB: device ba in NSA, its peer bb in NSB.
make_link() {
	case $1 in
	veth*)
		ip -n "$2" link add name ba type veth peer name bb netns "$3" ;;
	wbpair-xmit)
		nsx "$2" "$WBCTL" pair add ba peer bb netns "$3" mode xmit ;;
	wbpair-napi)
		nsx "$2" "$WBCTL" pair add ba peer bb netns "$3" mode napi ;;
	esac
}

# tune CFG NS DEV: the ethtool settings of CFG, once DEV is up.
tune() {
	case $1 in
	veth-gro) nsx "$2" ethtool -K "$3" gro on ;;
	veth-napi) nsx "$2" ethtool -K "$3" gro on tso off ;;
	*) return 0 ;;
	esac
}

# setup CFG N: namespaces, link, 10.99.N.1 (ba) and 10.99.N.2 (bb), iperf3 -s.
setup() {
	local cfg=$1 n=$2 nsa=$1-a-$SUFFIX nsb=$1-b-$SUFFIX

	ip netns add "$nsa" && ip netns add "$nsb" || return 1
	ip -n "$nsa" link set lo up
	ip -n "$nsb" link set lo up
	make_link "$cfg" "$nsa" "$nsb" || return 1
	ip -n "$nsa" addr add "10.99.$n.1/24" dev ba || return 1
	ip -n "$nsb" addr add "10.99.$n.2/24" dev bb || return 1
	ip -n "$nsa" link set ba up && ip -n "$nsb" link set bb up || return 1
	tune "$cfg" "$nsa" ba && tune "$cfg" "$nsb" bb || return 1
	nsx "$nsb" iperf3 -s -D --pidfile "/tmp/iperf3-$cfg.pid" || return 1
	sleep 0.3
	PIDS+=("$(cat "/tmp/iperf3-$cfg.pid")")
	nsx "$nsa" ping -q -c 1 -W 5 "10.99.$n.2" >/dev/null || return 1
}

rx_packets() {	# NS
	nsx "$1" cat /sys/class/net/bb/statistics/rx_packets
}

# udp64 CFG N: packets per second received by b.
udp64() {
	local nsa=$1-a-$SUFFIX nsb=$1-b-$SUFFIX before after

	before=$(rx_packets "$nsb")
	timeout $((UDP_SECS + 30)) ip netns exec "$nsa" iperf3 -c "10.99.$2.2" \
		-u -l 64 -b 0 -t "$UDP_SECS" >/dev/null 2>&1 || return 1
	after=$(rx_packets "$nsb")
	echo $(((after - before) / UDP_SECS))
}

# tcp CFG N: receiver bits per second.
tcp() {
	timeout $((TCP_SECS + 30)) ip netns exec "$1-a-$SUFFIX" \
		iperf3 -c "10.99.$2.2" -t "$TCP_SECS" -O 1 -J 2>/dev/null |
		python3 -c '
import json, sys
print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))'
}

# slab_field CACHE FIELD: a /sys/kernel/slab attribute; object_size falls
# back to /proc/slabinfo (no sysfs for SLAB/SLOB).
slab_field() {
	local f=/sys/kernel/slab/$1/$2
	if [ -r "$f" ]; then
		cut -d' ' -f1 "$f"
	elif [ "$2" = object_size ]; then
		awk -v c="$1" '$1 == c { print $4 }' /proc/slabinfo
	fi
}

memory() {
	local c
	if ! grep -q '^wirebox_nf ' /proc/modules; then
		for d in $(modinfo -F depends "$WB_MODDIR/nf/wirebox_nf.ko" | tr , ' '); do
			modprobe "$d"
		done
		insmod "$WB_MODDIR/nf/wirebox_nf.ko"
	fi
	modprobe nf_conntrack
	for c in wirebox_ct nf_conntrack; do
		printf 'mem\t%s\tobject_size\t%s\n' "$c" "$(slab_field "$c" object_size)"
		printf 'mem\t%s\tslab_size\t%s\n' "$c" "$(slab_field "$c" slab_size)"
	done >>"$OUT/raw.tsv"
}

mkdir -p "$OUT" || exit 1
: >"$OUT/raw.tsv"
log "$(uname -r), $(nproc) CPUs, $ROUNDS rounds, udp ${UDP_SECS}s, tcp ${TCP_SECS}s"

n=0
for cfg in "${CONFIGS[@]}"; do
	n=$((n + 1))
	if ! setup "$cfg" "$n"; then
		log "setup of $cfg failed"
		exit 1
	fi
done

for ((r = 1; r <= ROUNDS; r++)); do
	if ((r % 2)); then
		order=("${!CONFIGS[@]}")
	else
		order=($(printf '%s\n' "${!CONFIGS[@]}" | tac))
	fi
	for w in udp64 tcp; do
		for i in "${order[@]}"; do
			cfg=${CONFIGS[i]}
			v=$("$w" "$cfg" $((i + 1))) || v=""
			[ -n "$v" ] || log "round $r: $w on $cfg gave no figure"
			printf '%s\t%s\t%s\t%s\n' "$r" "$cfg" "$w" "$v" >>"$OUT/raw.tsv"
			log "round $r $w $cfg: ${v:-n/a}"
		done
	done
done

memory || log "memory: could not load wirebox_nf or nf_conntrack"

python3 "$WB_ROOT/tools/bench/bench-report.py" guest "$OUT" "$(uname -r)"

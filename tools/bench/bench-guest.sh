#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wirebox benchmarks, guest side: run by tools/bench/bench.sh inside a VM
# (tools/vm-run.sh, modules loaded). Every figure is compared with the
# in-kernel equivalent measured in this same boot, A/B interleaved: the
# configurations of a section run in one order on odd rounds and in the
# reverse order on even ones.
#
# Sections (WB_BENCH_SECTIONS, default "pair nic nf mem", in that order):
#
# pair  wbpair vs veth. Two namespaces per configuration, one link:
#
#         ns pair-<cfg>-a          ns pair-<cfg>-b
#         +--------+  10.99.N.0/24  +--------+
#         |   ba   |================|   bb   |   iperf3 -s in b
#         +--------+                +--------+
#
#       veth         veth, defaults (GRO off: no NAPI, frames go through
#                    netif_rx)
#       veth-gro     `ethtool -K gro on` on both ends: NAPI exists, but an
#                    skb from a TSO-capable sender is only taken through it
#                    when it is locally generated UDP and the receiver has
#                    rx-udp-gro-forwarding (veth_skb_is_eligible_for_gro()),
#                    so TCP still bypasses NAPI
#       veth-napi    `ethtool -K gro on tso off` on both ends: every frame
#                    through veth's NAPI poll and GRO
#       wbpair-xmit  wbpair, mode xmit (the default)
#       wbpair-napi  wbpair, mode napi
#
#       udp64  iperf3 -u -l 64 -b 0 for WB_BENCH_UDP_SECS (3) seconds; the
#              figure is bb's rx_packets delta per second
#       tcp    iperf3 TCP bulk for WB_BENCH_TCP_SECS (4) seconds after a
#              1 s omitted warm-up; the receiver's bits per second
#
# nic   wbnic vs veth: the same topology and workloads, ba and bb two
#       cabled wbnics (wbctl nic add, nic cable) at default ring sizes.
#       Configurations: veth; veth-nogso (`ethtool -K tso off gso off`,
#       TCP only: veth carries 64 KiB TSO frames across as they are, wbnic
#       segments them in its device and the receiver's GRO merges them); wbnic (default coalescing, rx-usecs 20
#       rx-frames 32); wbnic-rx0 (rx-usecs 0: an interrupt per completion);
#       wbnic-rx50f64 (rx-usecs 50 rx-frames 64); wbnic-rx100f0 (rx-usecs
#       100, no frame threshold: the timer alone). ethtool -C on both ends.
#       wbnic-nolro (`ethtool -K lro off`: the receiving device does not
#       coalesce, the receiver handles every segment; TCP only) and
#       wbnic-rx1024 (`ethtool -G rx 1024`, TCP only: bursts the default
#       256 RX descriptors cannot hold) and wbnic-tx0 (`ethtool -C
#       tx-usecs 0`, TCP only: a TX completion interrupt per doorbell, so
#       sent skbs are freed at once). udp64 on all but veth-nogso and
#       those three; tcp on veth, veth-nogso, wbnic, wbnic-rx0 (what RX
#       moderation costs TCP's round trips) and those three.
#       Over each wbnic udp64 run:
#       irqs per received packet and received packets per NAPI poll on bb,
#       interrupts per sent packet on ba (ethtool -S irqs, polls).
#
# nf    hooks + conntrack vs nf_conntrack + nftables, packets forwarded per
#       second through a router namespace:
#
#         ns nf-<cfg>-a         ns nf-<cfg>-r              ns nf-<cfg>-b
#         +------+ 10.1.1.0/24 +---------------+ 10.1.2.0/24 +------+
#         |  ba  |=============| ra         rb |=============|  bb  |
#         +------+    veth     +---------------+    veth     +------+
#                               ip_forward=1
#                               pktgen on ra
#
#       pktgen, in the router's netns, injects 64-byte frames (60 bytes +
#       FCS) of UDP 10.1.1.1:1000-1015 -> 10.1.2.2:9, 16 flows, into ra's
#       receive path (xmit_mode netif_receive): a frame from nsA as the
#       router sees it, handled synchronously to its forwarding by rb. (Sent
#       from ba instead, frames queue in the backlog; once a frame costs
#       more than the generator, softirq work is deferred to ksoftirqd, the
#       backlog overflows and the rate collapses at random, 30x in one of
#       three runs.) The router's neighbour entry for 10.1.2.2 is a MAC
#       that is not bb's: bb counts the frame in rx_packets (the figure)
#       and IP drops it as PACKET_OTHERHOST before any hook. The flows are
#       one-way, so their entries stay NEW (unreplied) and every packet
#       walks the whole rule set after its entry was found.
#       Configurations, each its own three namespaces:
#         none          no netfilter in the router (wirebox_nf unloaded)
#         wirebox-R     wirebox_nf (it hooks every netns) with R rules on
#                       forward: "ct state established,related accept",
#                       R-2 rules "dst 10.200.X.Y/32 proto udp dport P
#                       accept" that never match, "proto udp dport 9
#                       accept", policy drop
#         nftables-R    the same rules in an nftables inet filter forward
#                       chain (nf_conntrack through "ct state")
#       for R in WB_BENCH_NF_RULES ("10 1000 10000"); the R-2 rules are a
#       run that the wirebox rule index looks up by hash. So also
#         wirebox-range-R, nftables-range-R  the R-2 rules are "proto udp
#                       dport P-P+1 accept": port ranges alone, which the
#                       index cuts into port intervals (one group, a
#                       binary search) and nftables walks
#       for R in WB_BENCH_NF_RANGE (default: the last of
#       WB_BENCH_NF_RULES; empty for none). wirebox_nf is loaded
#       only while wirebox-R run (rmmod/insmod in between, rules restored
#       after each insmod). Each figure: WB_BENCH_PPS_SECS (3) seconds
#       after 1 s of warm-up.
#       Then the table size: in wirebox-Rmin and then nftables-Rmin (Rmin
#       the first of WB_BENCH_NF_RULES), the table is filled to each count
#       of WB_BENCH_NF_ENTRIES ("1000 100000 1000000") by pktgen from as
#       many source addresses (10.64.0.0 on), at most WB_BENCH_FILL_SECS
#       (150) per count, and the 16 flows measured WB_BENCH_ROUNDS times.
#       The counts reached are read back (wbctl ct count,
#       nf_conntrack_count). This part cannot be interleaved (a table
#       cannot be emptied and refilled in the time), so each count is
#       measured after the smaller ones. Both tables have
#       WB_BENCH_NF_HASHSIZE (1048576) buckets (ct_hashsize, nf_conntrack's
#       hashsize), room for 2000000 entries, and a UDP timeout of an hour.
#
# mem   memory. Conntrack: the slab object size of "wirebox_ct" and
#       "nf_conntrack"; then the bytes per entry for WB_BENCH_MEM_ENTRIES
#       (100000) entries filled by pktgen as above (each in its own router
#       netns, wirebox_nf loaded only for its own): /proc/meminfo Slab
#       delta over the fill (extensions and everything else it allocated
#       included), plus the hash table, sized to the next power of two for
#       both. NICs: WB_BENCH_MEM_NICS (8) pairs of veth and of cabled
#       wbnics, made and set up in one netns: the growth of used memory
#       (free pages, those on the per-CPU lists included: a kmalloc()
#       above 8 KiB comes from the page allocator, not a slab), of Slab
#       and of Percpu, per device; the caches that grew most are logged.
#
# WB_BENCH_PERF: nf configurations (e.g. "wirebox-10 nftables-10") to
# profile with perf after the nf section's rounds (profile()), and nic
# runs, nic-WORKLOAD-CFG (e.g. "nic-udp64-wbnic nic-udp64-veth"), after
# the nic section's (profile_nic()).
#
# WB_BENCH_ROUNDS (3) rounds per section. Results (raw.tsv: section,
# round, config, metric, value; results.json, results.md) go to
# $WB_OUTDIR/bench. A benchmark never fails on a number: the exit status is
# non-zero only if a section could not be set up at all.
# shellcheck disable=SC2317 # the sections run as "section_$s"
set -uo pipefail

WB_ROOT=${WB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
WB_MODDIR=${WB_MODDIR:-$WB_ROOT/build/$(uname -r)/modules}
WBCTL=${WBCTL:-$WB_ROOT/userspace/wbctl}
ROUNDS=${WB_BENCH_ROUNDS:-3}
SECTIONS=${WB_BENCH_SECTIONS:-pair nic nf mem}
UDP_SECS=${WB_BENCH_UDP_SECS:-3}
TCP_SECS=${WB_BENCH_TCP_SECS:-4}
PPS_SECS=${WB_BENCH_PPS_SECS:-3}
read -ra NF_RULES <<<"${WB_BENCH_NF_RULES:-10 1000 10000}"
read -ra NF_RANGE <<<"${WB_BENCH_NF_RANGE-${NF_RULES[-1]}}"
read -ra NF_ENTRIES <<<"${WB_BENCH_NF_ENTRIES:-1000 100000 1000000}"
FILL_SECS=${WB_BENCH_FILL_SECS:-150}
PERF=${WB_BENCH_PERF:-}
NF_HASHSIZE=${WB_BENCH_NF_HASHSIZE:-1048576}
CT_MAX=2000000
MEM_ENTRIES=${WB_BENCH_MEM_ENTRIES:-100000}
MEM_NICS=${WB_BENCH_MEM_NICS:-8}
OUT=${WB_OUTDIR:-/tmp/wb-out}/bench
SUFFIX=$(mktemp -u XXXX)
TMPD=$(mktemp -d)
NF_CFGS=()	# the nf section's configurations
NIC_CFGS=()	# the nic section's
NSS=()		# every netns made, for cleanup
PGNS=()		# every netns pktgen runs in
PIDS=()

log() { echo "bench: [${SECONDS}s] $*"; }

cleanup() {
	local p ns
	for ns in "${PGNS[@]}"; do
		nsx "$ns" sh -c 'echo stop >/proc/net/pktgen/pgctrl' 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for ns in "${NSS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMPD"
}
trap cleanup EXIT

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# emit SECTION ROUND CONFIG METRIC VALUE: one line of raw.tsv. ROUND is 0
# for a figure measured once.
emit() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$OUT/raw.tsv"
}

# newns NAME: a namespace with lo up, deleted on exit.
newns() {
	ip netns add "$1" || return 1
	NSS+=("$1")
	ip -n "$1" link set lo up
}

# order N ROUND: the indices 0..N-1, reversed on even rounds.
order() {
	if (($2 % 2)); then
		seq 0 $(($1 - 1))
	else
		seq $(($1 - 1)) -1 0
	fi
}

now_ns() { date +%s%N; }

# meminfo FIELD: its value in kB.
meminfo() { awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo; }

# free_kb: free memory in kB, the pages on the per-CPU lists included
# (MemFree leaves them out, and they come and go by megabytes).
free_kb() {
	awk -v p="$(getconf PAGESIZE)" '$1 == "pages" && $2 == "free" { n += $3 }
		$1 == "count:" { n += $2 } END { print n * p / 1024 }' /proc/zoneinfo
}

# settle: free what can be freed before a memory reading: page cache,
# dentries and inodes, and the empty slabs every cache keeps.
settle() {
	local f
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do
		echo 1 >"$f"
	done 2>/dev/null
	sleep 1
}

wbnf_loaded() { grep -q '^wirebox_nf ' /proc/modules; }

# wbnf_load [PARAM=VALUE...]: insmod wirebox_nf and what it depends on.
wbnf_load() {
	local d
	wbnf_loaded && return 0
	for d in $(modinfo -F depends "$WBNF_KO" | tr , ' '); do
		modprobe "$d" || return 1
	done
	insmod "$WBNF_KO" "$@"
}

wbnf_unload() {
	wbnf_loaded || return 0
	rmmod wirebox_nf
}

# ---------------------------------------------------------------- links

# make_link SECTION CFG NSA NSB: device ba in NSA, its peer bb in NSB.
make_link() {
	case $2 in
	veth*)
		ip -n "$3" link add name ba type veth peer name bb netns "$4" ;;
	wbpair-xmit)
		"$WBCTL" -n "$3" pair add ba peer bb netns "$4" mode xmit ;;
	wbpair-napi)
		"$WBCTL" -n "$3" pair add ba peer bb netns "$4" mode napi ;;
	wbnic*)
		"$WBCTL" -n "$3" nic add ba && "$WBCTL" -n "$3" nic add bb &&
			"$WBCTL" -n "$3" nic cable ba bb &&
			ip -n "$3" link set bb netns "$4" ;;
	esac
}

# coal CFG: the ethtool -C arguments of a wbnic configuration.
coal() {
	case $1 in
	wbnic-rx0) echo rx-usecs 0 ;;
	wbnic-rx50f64) echo rx-usecs 50 rx-frames 64 ;;
	wbnic-rx100f0) echo rx-usecs 100 rx-frames 0 ;;
	wbnic-tx0) echo tx-usecs 0 ;;
	esac
}

# tune CFG NS DEV: the ethtool settings of CFG, once DEV is up.
tune() {
	local args
	case $1 in
	veth-gro) nsx "$2" ethtool -K "$3" gro on ;;
	veth-napi) nsx "$2" ethtool -K "$3" gro on tso off ;;
	veth-nogso) nsx "$2" ethtool -K "$3" tso off gso off ;;
	wbnic-nolro) nsx "$2" ethtool -K "$3" lro off ;;
	wbnic-rx1024) nsx "$2" ethtool -G "$3" rx 1024 ;;
	wbnic-*)
		read -ra args <<<"$(coal "$1")"
		nsx "$2" ethtool -C "$3" "${args[@]}" ;;
	*) return 0 ;;
	esac
}

# link_setup SECTION CFG N: namespaces SECTION-CFG-{a,b}, the link,
# 10.99.N.1 (ba) and 10.99.N.2 (bb), iperf3 -s in b.
link_setup() {
	local sec=$1 cfg=$2 n=$3 nsa=$1-$2-a-$SUFFIX nsb=$1-$2-b-$SUFFIX
	local pidf=$TMPD/iperf3-$1-$2.pid

	newns "$nsa" && newns "$nsb" || return 1
	make_link "$sec" "$cfg" "$nsa" "$nsb" || return 1
	ip -n "$nsa" addr add "10.99.$n.1/24" dev ba || return 1
	ip -n "$nsb" addr add "10.99.$n.2/24" dev bb || return 1
	ip -n "$nsa" link set ba up && ip -n "$nsb" link set bb up || return 1
	tune "$cfg" "$nsa" ba && tune "$cfg" "$nsb" bb || return 1
	nsx "$nsb" iperf3 -s -D --pidfile "$pidf" || return 1
	sleep 0.3
	PIDS+=("$(cat "$pidf")")
	nsx "$nsa" ping -q -c 1 -W 5 "10.99.$n.2" >/dev/null ||
		nsx "$nsa" ping -q -c 1 -W 5 "10.99.$n.2" >/dev/null
}

dev_stat() {	# NS DEV COUNTER
	nsx "$1" cat "/sys/class/net/$2/statistics/$3"
}

# udp64 SECTION CFG N: packets per second received by bb.
udp64() {
	local nsa=$1-$2-a-$SUFFIX nsb=$1-$2-b-$SUFFIX before after

	before=$(dev_stat "$nsb" bb rx_packets)
	timeout $((UDP_SECS + 30)) ip netns exec "$nsa" iperf3 -c "10.99.$3.2" \
		-u -l 64 -b 0 -t "$UDP_SECS" >/dev/null 2>&1 || return 1
	after=$(dev_stat "$nsb" bb rx_packets)
	echo $(((after - before) / UDP_SECS))
}

# tcp SECTION CFG N: receiver bits per second; the sender's
# retransmissions recorded as tcp_retransmits.
tcp() {
	local bps retr

	read -r bps retr < <(timeout $((TCP_SECS + 30)) \
		ip netns exec "$1-$2-a-$SUFFIX" \
		iperf3 -c "10.99.$3.2" -t "$TCP_SECS" -O 1 -J 2>/dev/null |
		python3 -c '
import json, sys
end = json.load(sys.stdin)["end"]
print(int(end["sum_received"]["bits_per_second"]),
      end["sum_sent"].get("retransmits", ""))' 2>/dev/null)
	[ -n "$bps" ] || return 1
	[ -n "$retr" ] && emit "$1" "$ROUND" "$2" tcp_retransmits "$retr"
	echo "$bps"
}

# measure SECTION ROUND WORKLOAD CFG N [FUNC]: run FUNC (default WORKLOAD)
# and record its figure.
measure() {
	local v
	v=$("${6:-$3}" "$1" "$4" "$5") || v=""
	[ -n "$v" ] || log "round $2: $3 on $4 gave no figure"
	emit "$1" "$2" "$4" "$3" "$v"
	log "round $2 $3 $4: ${v:-n/a}"
}

# ---------------------------------------------------------------- pair

section_pair() {
	local cfgs=(veth veth-gro veth-napi wbpair-xmit wbpair-napi) i w

	for i in "${!cfgs[@]}"; do
		link_setup pair "${cfgs[i]}" $((i + 1)) ||
			{ log "pair: setup of ${cfgs[i]} failed"; return 1; }
	done
	for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
		for w in udp64 tcp; do
			for i in $(order ${#cfgs[@]} "$ROUND"); do
				measure pair "$ROUND" "$w" "${cfgs[i]}" $((i + 1))
			done
		done
	done
}

# ---------------------------------------------------------------- nic

# nic_counters SECTION CFG: bb's irqs, polls, rx_missed and rx_packets,
# ba's irqs and tx_packets, on one line.
nic_counters() {
	local nsa=$1-$2-a-$SUFFIX nsb=$1-$2-b-$SUFFIX

	echo "$(nsx "$nsb" ethtool -S bb | awk '{ v[$1] = $2 } END {
		print v["irqs:"], v["polls:"], v["rx_missed:"] }')" \
		"$(dev_stat "$nsb" bb rx_packets)" \
		"$(nsx "$nsa" ethtool -S ba | awk '$1 == "irqs:" { print $2 }')" \
		"$(dev_stat "$nsa" ba tx_packets)"
}

# nic_emit SECTION CFG WORKLOAD BEFORE AFTER: the interrupt, poll and miss
# figures of one run, from two nic_counters lines.
nic_emit() {
	local m v
	awk -v a="$4" -v b="$5" -v w="$3" 'BEGIN {
		split(a, x); split(b, y)
		for (i = 1; i <= 6; i++)
			d[i] = y[i] - x[i]
		if (w == "udp64") {
			if (d[4])
				printf "rx_irqs_per_pkt %.4f\n", d[1] / d[4]
			if (d[2])
				printf "rx_pkts_per_poll %.2f\n", d[4] / d[2]
			if (d[6])
				printf "tx_irqs_per_pkt %.4f\n", d[5] / d[6]
		}
		printf "%s_rx_missed %d\n", w, d[3]
	}' | while read -r m v; do
		emit "$1" "$ROUND" "$2" "$m" "$v"
	done
}

# nic_udp64, nic_tcp SECTION CFG N: the workload, and for a wbnic its
# interrupt, poll and miss counts over it (recorded here, as they come
# with the same run).
nic_udp64() { nic_run udp64 "$@"; }
nic_tcp() { nic_run tcp "$@"; }

nic_run() {
	local w=$1 a b v
	shift
	[[ $2 == wbnic* ]] || { "$w" "$@"; return; }
	a=$(nic_counters "$1" "$2")
	v=$("$w" "$@") || return 1
	b=$(nic_counters "$1" "$2")
	nic_emit "$1" "$2" "$w" "$a" "$b"
	echo "$v"
}

section_nic() {
	local cfgs=(veth veth-nogso wbnic wbnic-rx0 wbnic-rx50f64 wbnic-rx100f0
		    wbnic-nolro wbnic-rx1024 wbnic-tx0)
	local i w

	for i in "${!cfgs[@]}"; do
		link_setup nic "${cfgs[i]}" $((i + 1)) ||
			{ log "nic: setup of ${cfgs[i]} failed"; return 1; }
		[[ ${cfgs[i]} == wbnic* ]] &&
			nsx "nic-${cfgs[i]}-b-$SUFFIX" ethtool -c bb |
			awk -v c="${cfgs[i]}" '/^rx-(usecs|frames):/ {
				printf "bench: %s %s %s\n", c, $1, $2 }'
	done
	for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
		for w in udp64 tcp; do
			for i in $(order ${#cfgs[@]} "$ROUND"); do
				# coalescing changes interrupts: TCP once;
				# GSO changes nothing for 64-byte UDP
				[ "$w" = tcp ] && [[ ${cfgs[i]} == wbnic-rx@(50f64|100f0) ]] &&
					continue
				[ "$w" = udp64 ] && [[ ${cfgs[i]} == @(veth-nogso|wbnic-nolro|wbnic-rx1024|wbnic-tx0) ]] &&
					continue
				measure nic "$ROUND" "$w" "${cfgs[i]}" \
					$((i + 1)) "nic_$w"
			done
		done
	done
	NIC_CFGS=("${cfgs[@]}")
	for i in $PERF; do
		[[ $i == nic-* ]] && profile_nic "$i"
	done
	return 0
}

# ---------------------------------------------------------------- nf

# ip4 N: the IPv4 address 10.64.0.0 + N.
ip4() {
	local a=$(((10 << 24) + (64 << 16) + $1))
	echo "$((a >> 24)).$(((a >> 16) & 255)).$(((a >> 8) & 255)).$((a & 255))"
}

# pg NS FILE COMMAND...: pktgen commands, in order, stopping at the
# first one refused.
pg() {
	local ns=$1 f=/proc/net/pktgen/$2
	shift 2
	# shellcheck disable=SC2016 # expanded by the inner sh
	nsx "$ns" sh -c 'f=$1; shift; for c; do
		echo "$c" >"$f" || { echo "$c"; exit 1; }; done' _ "$f" "$@" |
		while read -r c; do
			log "pktgen: '$c' to $f in $ns failed"
			return 1
		done
}

# pg_flows NS: the measured traffic, 16 flows, until stopped.
pg_flows() {
	pg "$1" ra "count 0" "src_min 10.1.1.1" "src_max 10.1.1.1" \
		"udp_src_min 1000" "udp_src_max 1016"
}

# pg_fill NS N: N packets from N source addresses, one flow each.
pg_fill() {
	pg "$1" ra "count $2" "src_min $(ip4 0)" "src_max $(ip4 $(($2 - 1)))" \
		"udp_src_min 2000" "udp_src_max 2000"
}

# fwd_setup NAME: namespaces NAME-{a,r,b}, the router forwarding, pktgen
# bound to ra in the router's netns (see the header). One shell a netns:
# under TCG each `ip netns exec` costs a good part of a second.
fwd_setup() {
	local a=$1-a-$SUFFIX r=$1-r-$SUFFIX b=$1-b-$SUFFIX ns amac rmac
	local v6off="net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1"

	for ns in "$a" "$r" "$b"; do
		newns "$ns" || return 1
	done
	ip -n "$a" link add ba type veth peer name ra netns "$r" &&
		ip -n "$r" link add rb type veth peer name bb netns "$b" || return 1
	# shellcheck disable=SC2016 # expanded by the inner sh
	amac=$(nsx "$a" sh -c 'sysctl -qw $1 && ip addr add 10.1.1.1/24 dev ba &&
		ip link set ba up && cat /sys/class/net/ba/address' _ "$v6off") &&
	nsx "$b" sh -c 'sysctl -qw $1 && ip addr add 10.1.2.2/24 dev bb &&
		ip link set bb up' _ "$v6off" || return 1
	# not bb's MAC for 10.1.2.2: bb drops the frames before IP's hooks
	# shellcheck disable=SC2016 # expanded by the inner sh
	rmac=$(nsx "$r" sh -c 'sysctl -qw $1 net.ipv4.ip_forward=1 \
			net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0 \
			net.ipv4.conf.ra.rp_filter=0 &&
		{ sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 \
			2>/dev/null; true; } &&
		ip addr add 10.1.1.254/24 dev ra && ip link set ra up &&
		ip addr add 10.1.2.254/24 dev rb && ip link set rb up &&
		ip neigh replace 10.1.2.2 lladdr 02:00:00:00:00:bb dev rb \
			nud permanent && cat /sys/class/net/ra/address' _ "$v6off") ||
		return 1
	pg "$r" kpktgend_0 rem_device_all "add_device ra" || return 1
	PGNS+=("$r")
	pg "$r" ra "pkt_size 60" "delay 0" "clone_skb 0" \
		"xmit_mode netif_receive" "dst_mac $rmac" "src_mac $amac" \
		"dst_min 10.1.2.2" "dst_max 10.1.2.2" "udp_dst_min 9" \
		"udp_dst_max 9" "count 0" "src_min 10.1.1.1" "src_max 10.1.1.1" \
		"udp_src_min 1000" "udp_src_max 1016"
}

# pps NAME: frames per second forwarded to bb by NAME's router.
pps() {
	local r=$1-r-$SUFFIX b=$1-b-$SUFFIX p t0 t1 c0 c1

	timeout $((PPS_SECS + 60)) ip netns exec "$r" \
		sh -c 'echo start >/proc/net/pktgen/pgctrl' &
	p=$!
	sleep 1
	t0=$(now_ns); c0=$(dev_stat "$b" bb rx_packets)
	sleep "$PPS_SECS"
	t1=$(now_ns); c1=$(dev_stat "$b" bb rx_packets)
	nsx "$r" sh -c 'echo stop >/proc/net/pktgen/pgctrl'
	wait "$p"
	[ -n "$c0" ] && [ -n "$c1" ] || return 1
	echo $(((c1 - c0) * 1000000000 / (t1 - t0)))
}

# perf_record NAME COMMAND...: perf record -a -g (cpu-clock, 999 Hz) into
# $TMPD/perf-NAME.data (not $OUT: its writes to 9p would be profiled)
# while COMMAND runs (perf starts it once it samples, which
# takes seconds under TCG); perf_report NAME: its report by symbol in
# perf-NAME.txt, self time (callers folded) and then time including
# callees (--children), the top lines of the first in the log. Under TCG
# there is no PMU: cpu-clock samples from a timer interrupt, which waits
# while interrupts are off, so self time piles up where they come back
# on (_raw_spin_unlock_irqrestore...); the inclusive part says in whose
# call those sections ran.
perf_record() {
	local name=$1
	shift
	perf record -q -a -g -e cpu-clock -F 999 -o "$TMPD/perf-$name.data" -- \
		"$@" >/dev/null 2>&1
}

perf_report() {
	local sym m f data=$TMPD/perf-$1.data

	# perf reads a module's symbols from its file under /lib/modules/KVER
	# (the kernel's own from kallsyms): give it every loaded module's,
	# wirebox's (insmodded from the build tree or $WBNF_KO) included
	sym=$TMPD/symfs/lib/modules/$(uname -r)/kernel
	mkdir -p "$sym"
	while read -r m _; do
		f=$(modinfo -n "$m" 2>/dev/null) && ln -sf "$f" "$sym/${f##*/}"
	done </proc/modules
	for f in "$WB_MODDIR"/pair/wirebox_pair.ko "$WB_MODDIR"/nic/wirebox_nic.ko \
		 "$WBNF_KO"; do
		[ -e "$f" ] && ln -sf "$f" "$sym/${f##*/}"
	done
	{
		echo "self:"
		perf report -i "$data" --symfs="$TMPD/symfs" \
			--kallsyms=/proc/kallsyms --stdio --no-children \
			--sort sym -g none --percent-limit 0.5 2>/dev/null
		echo "including callees:"
		perf report -i "$data" --symfs="$TMPD/symfs" \
			--kallsyms=/proc/kallsyms --stdio --children \
			--sort sym -g none --percent-limit 2 2>/dev/null
	} | grep -v '^#' | sed '/^$/d' >"$OUT/perf-$1.txt"
	rm -f "$data"
	log "profile $1 (perf-$1.txt), top:"
	head -n 12 "$OUT/perf-$1.txt" | sed 's/^/bench:   /'
}

# profile CFG: after the measured rounds, where the CPU goes while CFG
# forwards: perf_record over WB_BENCH_PPS_SECS seconds of pktgen, then
# perf_report. Never part of a figure.
profile() {
	local cfg=$1 r=nf-$1-r-$SUFFIX p

	command -v perf >/dev/null || { log "profile: no perf"; return 0; }
	[[ " ${NF_CFGS[*]} " == *" $cfg "* ]] ||
		{ log "profile: no nf configuration $cfg"; return 0; }
	if [[ $cfg == wirebox-* ]]; then nf_wirebox_up; else wbnf_unload; fi ||
		{ log "profile: cannot switch to $cfg"; return 0; }
	timeout $((PPS_SECS + 60)) ip netns exec "$r" \
		sh -c 'echo start >/proc/net/pktgen/pgctrl' &
	p=$!
	sleep 1
	perf_record "$cfg" sleep "$PPS_SECS"
	nsx "$r" sh -c 'echo stop >/proc/net/pktgen/pgctrl'
	wait "$p"
	perf_report "$cfg"
}

# profile_nic nic-WORKLOAD-CFG: the same over one more run of WORKLOAD
# (udp64 or tcp: its iperf3 client, as perf's command) over the nic
# section's CFG. Never part of a figure.
profile_nic() {
	local w=${1#nic-} cfg i n="" args

	command -v perf >/dev/null || { log "profile: no perf"; return 0; }
	cfg=${w#*-}
	w=${w%%-*}
	for i in "${!NIC_CFGS[@]}"; do
		[ "${NIC_CFGS[i]}" = "$cfg" ] && n=$((i + 1))
	done
	case $w in
	udp64) args=(-u -l 64 -b 0 -t "$UDP_SECS") ;;
	tcp) args=(-t "$TCP_SECS") ;;
	*) n="" ;;
	esac
	[ -n "$n" ] || { log "profile: no nic workload $1"; return 0; }
	perf_record "$1" timeout $((UDP_SECS + TCP_SECS + 30)) \
		ip netns exec "nic-$cfg-a-$SUFFIX" iperf3 -c "10.99.$n.2" "${args[@]}"
	perf_report "$1"
}

# rules CFG: the rule set of an nf configuration, IMPL-N (wirebox or
# nftables, N rules) or IMPL-range-N: "ct state established,related
# accept", N-2 rules that never match the traffic, "udp dport 9 accept",
# policy drop. The N-2 rules match one address and one port each (a run
# the wirebox rule index looks up by hash), or for -range- a range of two
# ports and nothing else (a ranged run: a binary search of the port
# intervals). nftables walks both one rule after the other.
rules() {
	local n=${1##*-} nft=0 range=0
	[[ $1 == nftables-* ]] && nft=1
	[[ $1 == *-range-* ]] && range=1
	awk -v n="$n" -v nft="$nft" -v range="$range" 'BEGIN {
		if (nft) {
			print "table inet wbbench {"
			print "\tchain forward {"
			print "\t\ttype filter hook forward priority filter; policy drop;"
			print "\t\tct state established,related accept"
		} else {
			print "policy forward drop"
			print "forward ct state established,related accept"
		}
		for (i = 1; i <= n - 2; i++) {
			a = sprintf("10.200.%d.%d", int(i / 250), i % 250 + 1)
			p = 10000 + i
			if (range && nft)
				printf "\t\tudp dport %d-%d accept\n", 10000 + 2 * i, 10001 + 2 * i
			else if (range)
				printf "forward proto udp dport %d-%d accept\n", 10000 + 2 * i, 10001 + 2 * i
			else if (nft)
				printf "\t\tip daddr %s udp dport %s accept\n", a, p
			else
				printf "forward dst %s/32 proto udp dport %s accept\n", a, p
		}
		if (nft) {
			print "\t\tudp dport 9 accept"
			print "\t}"
			print "}"
		} else {
			print "forward proto udp dport 9 accept"
		}
	}'
}

# ct_count NAME: entries in NAME's router table (whichever is loaded).
ct_count() {
	local r=$1-r-$SUFFIX
	case $1 in
	*wirebox*) "$WBCTL" -n "$r" ct count ;;
	*) nsx "$r" cat /proc/sys/net/netfilter/nf_conntrack_count ;;
	esac
}

# nf_ct_setup BUCKETS: nf_conntrack loaded, BUCKETS hash buckets, room
# for CT_MAX entries.
nf_ct_setup() {
	modprobe nf_conntrack || return 1
	echo "$1" >/sys/module/nf_conntrack/parameters/hashsize || return 1
	sysctl -qw net.netfilter.nf_conntrack_max="$CT_MAX"
}

# nf_wirebox_up: wirebox_nf loaded for the nf section, each wirebox-R
# router with its rules.
nf_wirebox_up() {
	local cfg
	wbnf_loaded && return 0
	wbnf_load ct_hashsize="$NF_HASHSIZE" ct_max="$CT_MAX" || return 1
	for cfg in "${NF_CFGS[@]}"; do
		[[ $cfg == wirebox-* ]] || continue
		"$WBCTL" -n "nf-$cfg-r-$SUFFIX" rule restore "$TMPD/$cfg.rules" &&
		"$WBCTL" -n "nf-$cfg-r-$SUFFIX" ct config set udp 3600 || return 1
	done
}

# fill NAME N: fill NAME's router table to N entries (plus the 16 flows)
# within FILL_SECS; record the count reached, the time it took and the
# Slab growth since BASE_SLAB.
fill() {
	local name=$1 n=$2 r=$1-r-$SUFFIX cfg=${1#nf-} t0 t1 left count

	pg_fill "$r" "$n" || return 1
	t0=$(now_ns)
	while :; do
		left=$((FILL_SECS - ($(now_ns) - t0) / 1000000000))
		((left > 0)) || break
		timeout "$left" ip netns exec "$r" \
			sh -c 'echo start >/proc/net/pktgen/pgctrl'
		nsx "$r" sh -c 'echo stop >/proc/net/pktgen/pgctrl'
		count=$(ct_count "$name")
		((${count:-0} >= n)) && break
	done
	t1=$(now_ns)
	pg_flows "$r"
	cfg=${cfg%-*}
	emit nfct 0 "$cfg" "entries-$n" "$count"
	emit nfct 0 "$cfg" "fill_secs-$n" $(((t1 - t0) / 1000000000))
	emit nfct 0 "$cfg" "slab_kb-$n" $(($(meminfo Slab) - BASE_SLAB))
	log "$cfg: $count entries for $n in $(((t1 - t0) / 1000000000)) s"
}

# nf_entries NAME: the table size part for one configuration.
nf_entries() {
	local name=$1 cfg=${1#nf-} n r v

	cfg=${cfg%-*}
	BASE_SLAB=$(meminfo Slab)
	for n in "${NF_ENTRIES[@]}"; do
		fill "$name" "$n" || { log "$cfg: fill to $n failed"; return 1; }
		for ((r = 1; r <= ROUNDS; r++)); do
			v=$(pps "$name") || v=""
			emit nfct "$r" "$cfg" "pps-$n" "$v"
			log "round $r $cfg, $n entries: ${v:-n/a}"
		done
	done
}

section_nf() {
	local cfgs=(none) r i cfg v t0 impl

	modprobe pktgen || { log "nf: no pktgen"; return 1; }
	wbnf_unload || { log "nf: cannot rmmod wirebox_nf"; return 1; }
	nf_ct_setup "$NF_HASHSIZE" || { log "nf: nf_conntrack setup failed"; return 1; }
	# the wirebox ones together: one insmod a round
	for impl in wirebox nftables; do
		for r in "${NF_RULES[@]}"; do
			cfgs+=("$impl-$r")
		done
		for r in "${NF_RANGE[@]}"; do
			cfgs+=("$impl-range-$r")
		done
	done
	NF_CFGS=("${cfgs[@]}")
	for cfg in "${cfgs[@]:1}"; do
		rules "$cfg" >"$TMPD/$cfg.rules"
	done
	for cfg in "${cfgs[@]}"; do
		fwd_setup "nf-$cfg" || { log "nf: setup of $cfg failed"; return 1; }
		if [[ $cfg == nftables-* ]]; then
			t0=$(now_ns)
			nsx "nf-$cfg-r-$SUFFIX" nft -f "$TMPD/$cfg.rules" ||
				{ log "nf: nft -f for $cfg failed"; return 1; }
			log "$cfg: nft -f took $((($(now_ns) - t0) / 1000000)) ms"
		fi
	done
	t0=$(now_ns)
	nf_wirebox_up || { log "nf: wirebox_nf setup failed"; return 1; }
	log "wirebox_nf insmod and rules: $((($(now_ns) - t0) / 1000000)) ms"
	wbnf_unload

	for ((r = 1; r <= ROUNDS; r++)); do
		for i in $(order ${#cfgs[@]} "$r"); do
			cfg=${cfgs[i]}
			if [[ $cfg == wirebox-* ]]; then
				nf_wirebox_up
			else
				wbnf_unload
			fi || { log "nf: cannot switch to $cfg"; return 1; }
			v=$(pps "nf-$cfg") || v=""
			emit nf "$r" "$cfg" pps "$v"
			log "round $r $cfg: ${v:-n/a} pkt/s"
		done
	done

	for cfg in $PERF; do
		[[ $cfg == nic-* ]] || profile "$cfg"
	done

	# table size: wirebox first (its table goes with rmmod), then nft
	wbnf_unload
	nf_wirebox_up || { log "nf: wirebox_nf setup failed"; return 1; }
	nf_entries "nf-wirebox-${NF_RULES[0]}"
	log "wirebox: $("$WBCTL" -n "nf-wirebox-${NF_RULES[0]}-r-$SUFFIX" ct stats |
		tr '\n' ' ')"
	wbnf_unload
	nf_entries "nf-nftables-${NF_RULES[0]}"
	log "nf_conntrack: $(nsx "nf-nftables-${NF_RULES[0]}-r-$SUFFIX" conntrack -C) entries"
	nsx "nf-nftables-${NF_RULES[0]}-r-$SUFFIX" conntrack -F 2>/dev/null
	return 0
}

# ---------------------------------------------------------------- mem

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

# cache_bytes CACHE: memory in the slabs of one kmem_cache (/proc/slabinfo:
# num_slabs x pagesperslab pages).
cache_bytes() {
	awk -v c="$1" -v p="$(getconf PAGESIZE)" '$1 == c { print $15 * $6 * p }' \
		/proc/slabinfo
}

# slab_snap FILE: every cache's slab memory, "name bytes" lines.
slab_snap() {
	awk -v p="$(getconf PAGESIZE)" 'NR > 2 { print $1, $15 * $6 * p }' \
		/proc/slabinfo >"$1"
}

# slab_top BEFORE AFTER N: the N caches that grew most, "name +kB" words.
slab_top() {
	awk 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; if (d > 0)
		printf "%d %s\n", d, $1 }' "$1" "$2" | sort -rn | head -n "$3" |
		awk '{ printf "%s +%d kB ", $2, $1 / 1024 }'
}

# pow2 N: the smallest power of two >= N.
pow2() {
	local p=1
	while ((p < $1)); do p=$((p * 2)); done
	echo "$p"
}

# mem_ct ROUND CFG BUCKETS: fill CFG's own router to MEM_ENTRIES entries
# and record the Slab growth.
mem_ct() {
	local cfg=$2 name=mem-$2 r=mem-$2-r-$SUFFIX s0 s1 n cache=nf_conntrack

	[ "$cfg" = wirebox ] && cache=wirebox_ct
	if [ "$cfg" = wirebox ]; then
		wbnf_load ct_hashsize="$3" ct_max="$CT_MAX" &&
			"$WBCTL" -n "$r" ct config set udp 3600 || return 1
	else
		wbnf_unload || return 1
	fi
	settle
	s0=$(meminfo Slab)
	pg_fill "$r" "$MEM_ENTRIES" || return 1
	timeout "$FILL_SECS" ip netns exec "$r" \
		sh -c 'echo start >/proc/net/pktgen/pgctrl'
	nsx "$r" sh -c 'echo stop >/proc/net/pktgen/pgctrl'
	n=$(ct_count "$name")
	settle
	s1=$(meminfo Slab)
	if ((n > 0)); then
		emit mem "$1" "$cfg" entries "$n"
		emit mem "$1" "$cfg" slab_per_entry $(((s1 - s0) * 1024 / n))
		emit mem "$1" "$cfg" cache_per_entry $(($(cache_bytes "$cache") / n))
		log "round $1 $cfg: $n entries, Slab +$((s1 - s0)) kB," \
			"$cache $(($(cache_bytes "$cache") / 1024)) kB"
	fi
	if [ "$cfg" = wirebox ]; then
		wbnf_unload
	else
		nsx "$r" conntrack -F 2>/dev/null
	fi
}

# mem_nics ROUND KIND: MEM_NICS pairs of KIND (veth, wbnic) made and set
# up in one netns; record the growth of used memory (free_kb), Slab and
# Percpu per device, and log the caches that grew most.
mem_nics() {
	local ns=mem-nic-$SUFFIX i a=() b=()

	settle
	slab_snap "$TMPD/slab0"
	a=("$(free_kb)" "$(meminfo Slab)" "$(meminfo Percpu)")
	for ((i = 0; i < MEM_NICS; i++)); do
		if [ "$2" = veth ]; then
			echo "link add m$i type veth peer name n$i"
		else
			echo "link add m$i type wbnic"
			echo "link add n$i type wbnic"
		fi
	done | ip -n "$ns" -batch - || log "mem: cannot make the $2 devices"
	if [ "$2" = wbnic ]; then
		for ((i = 0; i < MEM_NICS; i++)); do
			"$WBCTL" -n "$ns" nic cable "m$i" "n$i" ||
				log "mem: cannot cable m$i n$i"
		done
	fi
	for ((i = 0; i < MEM_NICS; i++)); do
		echo "link set m$i up"
		echo "link set n$i up"
	done | ip -n "$ns" -batch - || log "mem: cannot set the $2 devices up"
	i=$(ip -n "$ns" -o link show up | grep -c ': [mn][0-9]*[:@]')
	sleep 1
	settle
	b=("$(free_kb)" "$(meminfo Slab)" "$(meminfo Percpu)")
	slab_snap "$TMPD/slab1"
	if ((i == 2 * MEM_NICS)); then
		emit mem "$1" "$2" used_per_dev $(((a[0] - b[0]) * 1024 / i))
		emit mem "$1" "$2" slab_per_dev $(((b[1] - a[1]) * 1024 / i))
		emit mem "$1" "$2" percpu_per_dev $(((b[2] - a[2]) * 1024 / i))
		log "round $1 $2 x$i: used +$((a[0] - b[0])) kB," \
			"Slab +$((b[1] - a[1])) kB, Percpu +$((b[2] - a[2])) kB;" \
			"$(slab_top "$TMPD/slab0" "$TMPD/slab1" 5)"
	else
		log "round $1 $2: $i of $((2 * MEM_NICS)) devices up, no figure"
	fi
	for ((i = 0; i < MEM_NICS; i++)); do
		echo "link del m$i"
		[ "$2" = wbnic ] && echo "link del n$i"
	done | ip -n "$ns" -batch - 2>/dev/null
	sleep 2
}

section_mem() {
	local c r i kinds=(wirebox nftables) nics=(veth wbnic) buckets

	modprobe pktgen || { log "mem: no pktgen"; return 1; }
	buckets=$(pow2 "$MEM_ENTRIES")
	nf_ct_setup "$buckets" || { log "mem: nf_conntrack setup failed"; return 1; }
	# the object sizes
	wbnf_load || { log "mem: cannot load wirebox_nf"; return 1; }
	for c in wirebox_ct nf_conntrack; do
		emit mem 0 "$c" object_size "$(slab_field "$c" object_size)"
		emit mem 0 "$c" slab_size "$(slab_field "$c" slab_size)"
	done
	wbnf_unload
	for c in wirebox nftables; do
		emit mem 0 "$c" hash_bytes $((buckets * 8))
		fwd_setup "mem-$c" || { log "mem: setup of $c failed"; return 1; }
	done
	nsx "mem-nftables-r-$SUFFIX" nft -f - <<-'EOF' || return 1
	table inet wbmem {
		chain forward {
			type filter hook forward priority filter;
			ct state established,related accept
		}
	}
	EOF
	for ((r = 1; r <= ROUNDS; r++)); do
		for i in $(order 2 "$r"); do
			mem_ct "$r" "${kinds[i]}" "$buckets" ||
				log "round $r: ${kinds[i]}: no figure"
		done
	done
	newns "mem-nic-$SUFFIX" || return 1
	for ((r = 1; r <= ROUNDS; r++)); do
		for i in $(order 2 "$r"); do
			mem_nics "$r" "${nics[i]}"
		done
	done
}

# ---------------------------------------------------------------- main

# All of it in a function: bash reads a script as it runs it, and this
# one runs for many minutes, long enough for someone to edit it.
main() {
	local s t0 m rc=0

	mkdir -p "$OUT" || return 1
	: >"$OUT/raw.tsv"
	# The host's build tree is shared, live: a rebuild during the run must
	# not put two builds of wirebox_nf (loaded again and again) or wbctl
	# in one set of figures. wirebox_pair and wirebox_nic were loaded at
	# boot.
	WBNF_KO=$TMPD/wirebox_nf.ko
	cp "$WB_MODDIR/nf/wirebox_nf.ko" "$WBNF_KO" &&
		cp "$WBCTL" "$TMPD/wbctl" || return 1
	WBCTL=$TMPD/wbctl
	log "$(uname -r), $(nproc) CPUs, $(($(meminfo MemTotal) / 1024)) MiB," \
		"$ROUNDS rounds, sections: $SECTIONS"
	for m in wirebox_pair wirebox_nic; do
		log "$m: build id $(tail -c 20 "/sys/module/$m/notes/.note.gnu.build-id" |
			od -An -tx1 | tr -d ' \n')"
	done
	log "wirebox_nf: build id $(readelf -n "$WBNF_KO" |
		awk '/Build ID/ { print $3 }')"
	# wirebox_nf hooks every netns: only the nf and mem sections want it
	wbnf_unload ||
		log "cannot rmmod wirebox_nf: pair and nic run with its hooks"

	for s in $SECTIONS; do
		if ! declare -F "section_$s" >/dev/null; then
			log "no section '$s' (pair nic nf mem)"
			rc=1
			continue
		fi
		t0=$(now_ns)
		log "section $s"
		"section_$s" || { log "section $s failed"; rc=1; }
		emit time 0 "$s" secs $((($(now_ns) - t0) / 1000000000))
		log "section $s: $((($(now_ns) - t0) / 1000000000)) s"
	done

	python3 "$WB_ROOT/tools/bench/bench-report.py" guest "$OUT" "$(uname -r)"
	return $rc
}

main "$@"; exit

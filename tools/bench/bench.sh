#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wirebox benchmarks against the in-kernel equivalents (veth, nf_conntrack),
# one VM boot per target kernel, both sides measured in the same boot.
#
#   tools/bench/bench.sh
#
#   WB_KVERS          kernels to run on (default: tools/kernels.sh)
#   WB_BENCH_OUT      output directory (default build/bench): KVER/ holds
#                     each boot's console.log, the guest's bench.log and
#                     bench/ figures; the
#                     top holds results.md, results.json (all kernels)
#                     and, with gnuplot, ratios.png
#   WB_BENCH_ROUNDS   rounds per section (default 3)
#   WB_BENCH_SECTIONS which sections, in order (default "pair nic nf mem")
#   WB_BENCH_UDP_SECS, WB_BENCH_TCP_SECS, WB_BENCH_PPS_SECS: length of each
#                     iperf3 UDP, TCP and pktgen measurement (3, 4, 3)
#   WB_BENCH_NF_RULES rule counts of the nf section (default "10 1000 10000")
#   WB_BENCH_NF_RANGE    rule counts also measured with port-range rules
#                     (default: the last of WB_BENCH_NF_RULES; "" for none)
#   WB_BENCH_NF_ENTRIES  conntrack table sizes (default "1000 100000 1000000")
#   WB_BENCH_FILL_SECS   at most this long to fill a table to one size (150)
#   WB_BENCH_NF_HASHSIZE buckets of both tables in the nf section (1048576)
#   WB_BENCH_MEM_ENTRIES entries for the bytes per entry (default 100000)
#   WB_BENCH_MEM_NICS    pairs of each device kind for memory per NIC (8)
#   WB_BENCH_PERF     nf configurations and nic runs to profile with perf
#                     (e.g. "wirebox-10 nic-udp64-wbnic"; none by default)
#   WB_VM_MEMORY      guest memory (default 4G: a million entries of
#                     nf_conntrack and the hash tables)
#
# tools/bench/bench-guest.sh says what each section measures and how.
# Builds the modules and wbctl first where they are missing. A benchmark
# never fails on a number; the exit status is 1 only if a kernel's VM run
# gave no results.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${WB_BENCH_OUT:-$ROOT/build/bench}
ROUNDS=${WB_BENCH_ROUNDS:-3}
SECTIONS=${WB_BENCH_SECTIONS:-pair nic nf mem}
UDP_SECS=${WB_BENCH_UDP_SECS:-3}
TCP_SECS=${WB_BENCH_TCP_SECS:-4}
PPS_SECS=${WB_BENCH_PPS_SECS:-3}
FILL_SECS=${WB_BENCH_FILL_SECS:-150}
read -ra NF_RULES <<<"${WB_BENCH_NF_RULES:-10 1000 10000}"
read -ra NF_ENTRIES <<<"${WB_BENCH_NF_ENTRIES:-1000 100000 1000000}"
read -ra NF_RANGE <<<"${WB_BENCH_NF_RANGE-${NF_RULES[-1]}}"
export WB_VM_MEMORY=${WB_VM_MEMORY:-4G}

# limit SECTION: a generous bound on its time under TCG, in seconds
limit() {
	local nr=$((${#NF_RULES[@]} + ${#NF_RANGE[@]})) ne=${#NF_ENTRIES[@]}
	local p pn=0 pf=0

	for p in ${WB_BENCH_PERF:-}; do
		if [[ $p == nic-* ]]; then pn=$((pn + 1)); else pf=$((pf + 1)); fi
	done
	case $1 in
	pair) echo $((60 + ROUNDS * 5 * (UDP_SECS + TCP_SECS + 20))) ;;
	nic) echo $((90 + ROUNDS * (5 * (UDP_SECS + 15) + 3 * (TCP_SECS + 15)) +
		     pn * (UDP_SECS + TCP_SECS + 90))) ;;
	nf) echo $((300 + ROUNDS * (1 + 2 * nr) * (PPS_SECS + 15) +
		    pf * (PPS_SECS + 60) +
		    2 * ne * (FILL_SECS + ROUNDS * (PPS_SECS + 10)))) ;;
	mem) echo $((120 + ROUNDS * 2 * (${WB_BENCH_MEM_ENTRIES:-100000} / 2000 + 60 +
		     3 * ${WB_BENCH_MEM_NICS:-8}))) ;;
	*) echo 0 ;;
	esac
}
LIMIT=300	# boot (about a minute under TCG) and the report
for s in $SECTIONS; do
	LIMIT=$((LIMIT + $(limit "$s")))
done
# what the guest script reads
GUEST_ENV=(WB_BENCH_ROUNDS="$ROUNDS" WB_BENCH_SECTIONS="$SECTIONS")
for v in UDP_SECS TCP_SECS PPS_SECS NF_RULES NF_RANGE NF_ENTRIES \
	 FILL_SECS NF_HASHSIZE MEM_ENTRIES MEM_NICS PERF; do
	n=WB_BENCH_$v
	[ -n "${!n+set}" ] && GUEST_ENV+=("$n=${!n}")
done

TREE=$(git -C "$ROOT" describe --always --dirty 2>/dev/null)
mapfile -t KVERS < <("$ROOT/tools/kernels.sh")
[ ${#KVERS[@]} -gt 0 ] || { echo "bench: no target kernel (make deps)" >&2; exit 1; }
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || exit 1

if [ ! -x "$ROOT/userspace/wbctl" ]; then
	make -s -C "$ROOT/userspace" || exit 1
fi
for kver in "${KVERS[@]}"; do
	ls "$ROOT/build/$kver/modules"/*/*.ko >/dev/null 2>&1 && continue
	"$ROOT/tools/kbuild.sh" "/lib/modules/$kver/build" || exit 1
done

for kver in "${KVERS[@]}"; do
	echo "bench: $kver (sections $SECTIONS, rounds $ROUNDS, limit ${LIMIT}s)"
	rm -rf "$OUT/$kver/bench"
	mkdir -p "$OUT/$kver" || exit 1
	start=$SECONDS
	# through a pipe: when stdout was a regular file, the next kernel's
	# VM run emptied it, and the log of the earlier kernels with it
	"$ROOT/tools/vm-run.sh" -k "$kver" -t "$LIMIT" -o "$OUT/$kver" -- \
		env "${GUEST_ENV[@]}" tools/bench/bench-guest.sh |
		tee "$OUT/$kver/bench.log" ||
		echo "bench: $kver: the VM run failed (exit $?): $OUT/$kver/console.log" >&2
	echo "bench: $kver took $((SECONDS - start)) s"
done

WB_BENCH_COMMIT=$TREE \
	python3 "$ROOT/tools/bench/bench-report.py" host "$OUT" "${KVERS[@]}"
rc=$?

if command -v gnuplot >/dev/null && [ -s "$OUT/ratios.dat" ]; then
	gnuplot <<-EOF && echo "bench: plot: $OUT/ratios.png"
	set terminal pngcairo size 1300,700 noenhanced
	set output "$OUT/ratios.png"
	set title "wirebox / in-kernel, same boot: the ratios with a target\n(bar: median; whisker: per-round spread; x: the target)"
	set logscale y
	set yrange [0.01:*]
	set grid ytics
	set style fill solid 0.5
	set boxwidth 0.6
	set xtics rotate by -40 font ",9"
	set bmargin 14
	set rmargin 26
	set key top right
	plot "$OUT/ratios.dat" using 0:2:xtic(1) with boxes notitle, \\
	     "" using 0:2:3:4 with yerrorbars lc "black" pt -1 notitle, \\
	     "" using 0:5 with points pt 2 ps 2 lc "red" title "target"
	EOF
else
	echo "bench: no gnuplot (or no figures): plot skipped"
fi
echo "bench: $OUT/results.md"
exit $rc

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
#                     each boot's console.log and bench/ figures; the
#                     top holds results.md, results.json (all kernels)
#                     and, with gnuplot, ratios.png
#   WB_BENCH_ROUNDS   rounds per boot (default 3); WB_BENCH_UDP_SECS,
#                     WB_BENCH_TCP_SECS: length of each measurement
#
# Builds the modules and wbctl first where they are missing. A benchmark
# never fails on a number; the exit status is 1 only if a kernel's VM run
# gave no results.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${WB_BENCH_OUT:-$ROOT/build/bench}
ROUNDS=${WB_BENCH_ROUNDS:-3}
UDP_SECS=${WB_BENCH_UDP_SECS:-3}
TCP_SECS=${WB_BENCH_TCP_SECS:-4}
# boot (~1 min under TCG) + per round 5 configs x 2 workloads
LIMIT=$((300 + ROUNDS * 5 * (UDP_SECS + TCP_SECS + 1 + 12)))

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
	echo "bench: $kver (rounds $ROUNDS, limit ${LIMIT}s)"
	rm -rf "$OUT/$kver/bench"
	"$ROOT/tools/vm-run.sh" -k "$kver" -t "$LIMIT" -o "$OUT/$kver" -- \
		env WB_BENCH_ROUNDS="$ROUNDS" WB_BENCH_UDP_SECS="$UDP_SECS" \
		WB_BENCH_TCP_SECS="$TCP_SECS" tools/bench/bench-guest.sh ||
		echo "bench: $kver: the VM run failed (exit $?): $OUT/$kver/console.log" >&2
done

python3 "$ROOT/tools/bench/bench-report.py" host "$OUT" "${KVERS[@]}"
rc=$?

if command -v gnuplot >/dev/null && [ -s "$OUT/ratios.dat" ]; then
	gnuplot <<-EOF && echo "bench: plot: $OUT/ratios.png"
	set terminal pngcairo size 1000,500
	set output "$OUT/ratios.png"
	set title "wirebox / in-kernel (median/median, same boot)"
	set style fill solid
	set boxwidth 0.6
	set yrange [0:*]
	set xtics rotate by -30
	plot "$OUT/ratios.dat" using 0:2:xtic(1) with boxes notitle, 1 notitle
	EOF
else
	echo "bench: no gnuplot (or no figures): plot skipped"
fi
echo "bench: $OUT/results.md"
exit $rc

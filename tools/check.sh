#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: install what is missing, then for every target kernel build
# the modules (W=1, sparse), boot it in a VM and run every selftest; plus the
# host-side tests (wbctl unit tests, DKMS, checkpatch). Prints TAP and ends
# with one line "N passed, N failed, N skipped". Exit 1 on any failure.
#
# `make check-debug` (WB_DEBUG=1 WB_PROD=0): the same selftests on the debug
# kernel (KASAN, lockdep, kmemleak, UBSAN, fault injection:
# tools/debug-kernel.sh), built on first use and cached outside the tree.
# Not part of `make check`: on these 2-core machines without KVM (TCG) the
# build alone takes over half an hour and the run more than an hour, past
# CI's 90 minutes; see Documentation/testing.rst.
#
#   WB_KVERS="6.1.0-56-amd64"   limit to these production kernels
#   WB_DEBUG=1                  also run the debug kernel
#   WB_PROD=0                   skip the production kernels
#   WB_VM_TIMEOUT=3600          seconds per VM boot (hard limit)
#   WB_VM_PARALLEL=0            boot the production kernels one after the
#                               other (default: all at once, see below)
#   WB_DEBUG_PART=K/N           the debug kernel runs the Kth of N equal
#                               slices of tests.list (the whole list takes
#                               hours under TCG: e.g. 1/2 and 2/2 in turn)
#   WB_DEBUG_TESTS="t1 t2"      the debug kernel runs these tests of
#                               tests.list instead (a re-run after a fix)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
LOG=$ROOT/build/check
VM_TIMEOUT=${WB_VM_TIMEOUT:-3600}
n=0 pass=0 fail=0 skip=0

phase() {
	printf '# [%(%H:%M:%S)T] %s\n' -1 "$*"
}

result() {	# ok|not-ok DESC [DIRECTIVE]
	n=$((n + 1))
	local d=${3:+ # $3}
	if [ "$1" = ok ]; then
		echo "ok $n $2$d"
		if [[ ${3:-} == SKIP* ]]; then skip=$((skip + 1)); else pass=$((pass + 1)); fi
	else
		echo "not ok $n $2$d"
		fail=$((fail + 1))
	fi
}

# Re-number the top-level TAP results of FILE into our stream.
lift() {	# PREFIX FILE
	local line res
	while IFS= read -r line; do
		if [[ $line =~ ^(not\ )?ok\ [0-9]+\ (.*)$ ]]; then
			res=${BASH_REMATCH[2]}
			res=${res#- }
			if [ -n "${BASH_REMATCH[1]}" ]; then
				result not-ok "$1$res"
			elif [[ $res =~ \#\ (SKIP.*)$ ]]; then
				result ok "$1${res%% # SKIP*}" "${BASH_REMATCH[1]}"
			else
				result ok "$1$res"
			fi
		elif [[ $line == "#"* ]]; then
			echo "$line"
		elif [[ -n $line && ! $line =~ ^(TAP\ version|1\.\.) ]]; then
			echo "# $line"
		fi
	done <"$2"
}

bail() {
	echo "Bail out! $*"
	echo "$pass passed, $((fail + 1)) failed, $skip skipped"
	exit 1
}

echo "TAP version 13"
# The debug kernel's list: chosen first, so that a wrong name stops here.
if [ "${WB_DEBUG:-0}" != 0 ]; then
	DEBUG_TESTS=$(sed 's/#.*//;/^\s*$/d' selftests/tests.list)
	if [ -n "${WB_DEBUG_TESTS:-}" ]; then
		for t in $WB_DEBUG_TESTS; do
			grep -qxF "$t" <<<"$DEBUG_TESTS" ||
				bail "WB_DEBUG_TESTS: $t is not in selftests/tests.list"
		done
		DEBUG_TESTS=$WB_DEBUG_TESTS
		phase "debug kernel: tests:" $DEBUG_TESTS
	elif [ -n "${WB_DEBUG_PART:-}" ]; then
		k=${WB_DEBUG_PART%/*} m=${WB_DEBUG_PART#*/}
		[[ $WB_DEBUG_PART =~ ^[1-9][0-9]*/[1-9][0-9]*$ ]] && [ "$k" -le "$m" ] ||
			bail "WB_DEBUG_PART=$WB_DEBUG_PART: want K/N with 1 <= K <= N"
		DEBUG_TESTS=$(awk -v k="$k" -v m="$m" '
			{ t[NR] = $0 }
			END { for (i = 1; i <= NR; i++)
				if (i > int((k - 1) * NR / m) &&
				    i <= int(k * NR / m)) print t[i] }' \
			<<<"$DEBUG_TESTS")
		phase "debug kernel: part $WB_DEBUG_PART:" $DEBUG_TESTS
	fi
fi

t0=$SECONDS
phase "dependencies"
if ! tools/deps.sh --check; then
	tools/deps.sh | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" = 0 ] || bail "dependency step failed"
fi
tools/harness.sh | sed 's/^/# /'
[ "${PIPESTATUS[0]}" = 0 ] || bail "cannot extract the kselftest harness"
mkdir -p "$LOG"
mapfile -t KVERS < <(tools/kernels.sh)
[ ${#KVERS[@]} -gt 0 ] || bail "no target kernel installed (make deps)"
phase "kernels: ${KVERS[*]} ($((SECONDS - t0))s)"

phase "host: userspace and selftests"
if make -s -C userspace >"$LOG/userspace.log" 2>&1 &&
   make -s -C userspace/iproute2 >>"$LOG/userspace.log" 2>&1 &&
   make -s -C selftests >>"$LOG/userspace.log" 2>&1; then
	result ok "build wbctl, the ip link plugins and selftests (-Werror)"
else
	sed 's/^/# /' "$LOG/userspace.log"
	result not-ok "build wbctl, the ip link plugins and selftests (-Werror)"
fi
make -s -C userspace test >"$LOG/wbctl-test.log" 2>&1
lift "wbctl: " "$LOG/wbctl-test.log"

phase "host: documentation and man pages"
tools/docs-check.sh >"$LOG/docs.log" 2>&1
lift "docs: " "$LOG/docs.log"
tools/man-check.sh >"$LOG/man.log" 2>&1
lift "man: " "$LOG/man.log"

phase "host: netlink specs (ynl)"
tools/ynl.sh check >"$LOG/ynl.log" 2>&1
lift "ynl: " "$LOG/ynl.log"

phase "host: checkpatch"
if build/scripts/checkpatch.pl --no-tree --strict -q --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
	-f $(find modules -name '*.[ch]' ! -name compat.h) >"$LOG/checkpatch.log" 2>&1 &&
   build/scripts/checkpatch.pl --no-tree --strict -q --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	-f modules/compat.h >>"$LOG/checkpatch.log" 2>&1; then
	result ok "checkpatch --strict clean: modules/ (compat.h may test LINUX_VERSION_CODE)"
else
	sed 's/^/# /' "$LOG/checkpatch.log"
	result not-ok "checkpatch --strict clean: modules/"
fi

phase "host: dkms"
tools/dkms.sh test "${KVERS[@]}" >"$LOG/dkms.log" 2>&1
lift "" "$LOG/dkms.log"

# Build the modules for one kernel tree; any compiler or sparse warning fails.
build_phase() {	# LABEL KDIR
	if tools/kbuild.sh "$2" W=1 C=1 >"$LOG/build-$1.log" 2>&1 &&
	   ! grep -E 'warning:|error:' "$LOG/build-$1.log" >/dev/null; then
		result ok "[$1] modules build clean with W=1 C=1"
		return 0
	fi
	sed 's/^/# /' "$LOG/build-$1.log"
	result not-ok "[$1] modules build clean with W=1 C=1"
	return 1
}

# One VM run, its output in $LOG/vm-LABEL.{log,err}; returns vm-run's status.
vm_run() {	# LABEL KVER TIMEOUT [TEST...]
	local label=$1 k=$2 limit=$3
	shift 3
	tools/vm-run.sh -k "$k" -t "$limit" -- selftests/run_tests.sh "$@" \
		>"$LOG/vm-$label.log" 2>"$LOG/vm-$label.err"
}

# Lift a finished VM run's TAP, then judge the run itself by vm-run's RC.
vm_judge() {	# LABEL RC LIMIT
	local label=$1 rc=$2 limit=$3
	lift "[$label] " "$LOG/vm-$label.log"
	sed 's/^/# /' "$LOG/vm-$label.err"
	case $rc in
	0) result ok "[$label] VM run: exit 0, kernel log clean" ;;
	124) result not-ok "[$label] VM run" "guest timed out after ${limit}s" ;;
	125) result not-ok "[$label] VM run" "kernel oops/warning/leak or guest died (see above)" ;;
	1) result ok "[$label] VM run: kernel log clean (some tests failed)" ;;
	*) result not-ok "[$label] VM run" "vm-run exit $rc" ;;
	esac
}

vm_phase() {	# LABEL KVER TIMEOUT [TEST...]
	local rc
	vm_run "$@"
	rc=$?
	vm_judge "$1" "$rc" "$3"
}

[ "${WB_PROD:-1}" = 0 ] && KVERS=()
BUILT=()
for kver in "${KVERS[@]}"; do
	phase "$kver: build (W=1 C=1) ($((SECONDS - t0))s)"
	build_phase "$kver" "/lib/modules/$kver/build" && BUILT+=("$kver")
done
# The production kernels' VMs run at the same time by default: under TCG
# on 2 cores a suite keeps about one host CPU busy (its tests wait on
# timers, polls and sleeps much of the time), so two side by side take
# less than twice as long as one alone. On 2026-12-03 one after the other
# put CI at 80 of its 90 minutes (4788 s); side by side it took 3462 s, and 2574 s
# once the guest's root 9p was cached (vm-run.sh).
if [ "${WB_VM_PARALLEL:-1}" != 0 ] && [ ${#BUILT[@]} -gt 1 ]; then
	declare -A VMPID
	for kver in "${BUILT[@]}"; do
		phase "$kver: boot and run selftests, in the background ($((SECONDS - t0))s)"
		vm_run "$kver" "$kver" "$VM_TIMEOUT" &
		VMPID[$kver]=$!
	done
	for kver in "${BUILT[@]}"; do
		wait "${VMPID[$kver]}"
		rc=$?
		phase "$kver: VM run over ($((SECONDS - t0))s)"
		vm_judge "$kver" "$rc" "$VM_TIMEOUT"
	done
else
	for kver in "${BUILT[@]}"; do
		phase "$kver: boot and run selftests ($((SECONDS - t0))s)"
		vm_phase "$kver" "$kver" "$VM_TIMEOUT"
	done
fi

if [ "${WB_DEBUG:-0}" != 0 ]; then
	phase "debug kernel: build or reuse ($((SECONDS - t0))s)"
	if dk=$(tools/debug-kernel.sh build 2>"$LOG/debug-kernel.log"); then
		result ok "debug kernel $(cat "$dk/kernel.release") ready (built in $(cat "$dk/build-seconds") s, cached in $dk)"
		phase "debug kernel: modules ($((SECONDS - t0))s)"
		if build_phase debug "$dk/linux"; then
			phase "debug kernel: boot and run selftests ($((SECONDS - t0))s)"
			# everything runs several times slower under KASAN and
			# lockdep: fewer stress rounds and fuzz messages
			# (measured under TCG: wbnf-ct.sh alone takes over 15 min)
			export WB_TEST_TIMEOUT=${WB_TEST_TIMEOUT:-2400}
			export WB_STRESS_ROUNDS=${WB_STRESS_ROUNDS:-1}
			export WB_FUZZ_ITERS=${WB_FUZZ_ITERS:-1000}
			vm_phase debug debug $((VM_TIMEOUT * 4)) $DEBUG_TESTS
		fi
	else
		sed 's/^/# /' "$LOG/debug-kernel.log"
		result not-ok "debug kernel build"
	fi
else
	result ok "debug kernel (KASAN, lockdep, kmemleak)" \
		"SKIP run by make check-debug, too long for CI under TCG"
fi

echo "1..$n"
phase "done in $((SECONDS - t0))s"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]

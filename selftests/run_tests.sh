#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the wirebox selftests (inside the VM) and print TAP 13:
# one line per shell test, one per kselftest-harness TEST of each C test.
#
#   run_tests.sh [-t SECONDS] [TEST...]     default: every test in tests.list
#
# Each test's own output is indented as a TAP comment. Exit 1 if any failed.
set -uo pipefail

DIR=$(cd "$(dirname "$0")" && pwd)
LIMIT=${WB_TEST_TIMEOUT:-300}
if [ "${1:-}" = "-t" ]; then
	LIMIT=$2
	shift 2
fi
TESTS=("$@")
[ ${#TESTS[@]} -gt 0 ] || mapfile -t TESTS < <(sed 's/#.*//;/^\s*$/d' "$DIR/tests.list")

n=0
pass=0
fail=0
skip=0

tap() {	# ok|not-ok NAME [DIRECTIVE]
	n=$((n + 1))
	case $1 in
	ok) echo "ok $n $2${3:+ # $3}" ;;
	*) echo "not ok $n $2${3:+ # $3}" ;;
	esac
}

run_sh() {
	local t=$1 out rc
	out=$(cd "$DIR" && timeout -k 5 "$LIMIT" bash "./$t" 2>&1)
	rc=$?
	sed 's/^/#   /' <<<"$out"
	case $rc in
	0) tap ok "$t"; pass=$((pass + 1)) ;;
	4) tap ok "$t" "SKIP $(grep -m1 -o 'SKIP: .*' <<<"$out" | cut -c7-)"
	   skip=$((skip + 1)) ;;
	124) tap not-ok "$t" "TIMEOUT after ${LIMIT}s"; fail=$((fail + 1)) ;;
	*) tap not-ok "$t" "exit $rc"; fail=$((fail + 1)) ;;
	esac
}

# A harness binary prints its own TAP; lift each result to the top level.
run_c() {
	local t=$1 out rc line name res dir seen=0 running=""
	out=$(cd "$DIR" && timeout -k 5 "$LIMIT" "./$t" 2>&1)
	rc=$?
	sed 's/^/#   /' <<<"$out"
	while IFS= read -r line; do
		# "#  RUN           fixture.test ..." names the next result
		if [[ $line =~ ^#\ +RUN\ +([^ ]+)\ \.\.\. ]]; then
			running=${BASH_REMATCH[1]}
			continue
		fi
		[[ $line =~ ^(not\ )?ok\ [0-9]+\ (.*)$ ]] || continue
		seen=1
		res=${BASH_REMATCH[2]}
		dir=""
		[[ $res == *"# "* ]] && dir=${res#*# }
		name=${res%%# *}
		name=${name% }
		name="$t: ${name:-$running}"
		if [ -n "${BASH_REMATCH[1]}" ]; then
			tap not-ok "$name"; fail=$((fail + 1))
		elif [[ $dir == SKIP* ]]; then
			tap ok "$name" "SKIP${dir#SKIP}"; skip=$((skip + 1))
		else
			tap ok "$name"; pass=$((pass + 1))
		fi
		running=""
	done <<<"$out"
	# a crash or timeout, or no result at all: one more failure
	if [ "$seen" = 0 ] || [ "$rc" -gt 4 ] || [ "$rc" = 2 ] || [ "$rc" = 3 ]; then
		[ "$rc" = 124 ] && rc="TIMEOUT after ${LIMIT}s" || rc="exit $rc"
		tap not-ok "$t" "$rc"; fail=$((fail + 1))
	fi
}

echo "TAP version 13"
for t in "${TESTS[@]}"; do
	echo "# ---- $t"
	t0=$SECONDS
	if [ ! -e "$DIR/$t" ]; then
		tap not-ok "$t" "missing (not built?)"; fail=$((fail + 1))
	elif [[ $t == *.sh ]]; then
		run_sh "$t"
	else
		run_c "$t"
	fi
	# how long each test takes: the VM's time budget is CI's
	echo "# ---- $t took $((SECONDS - t0))s"
done
echo "1..$n"
echo "# selftests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]

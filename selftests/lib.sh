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

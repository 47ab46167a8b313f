#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wbctl pair add/show/del against the real module, and the errors a user
# sees: the kernel's extack message on stderr, ip-like exit codes, nothing
# half-made.
#
#   +----- ns1 -----+              +----- ns2 -----+
#   |   wbA (napi)  |== wbpair ====|  wbB (napi)   |
#   +---------------+              +---------------+
source lib.sh

require_module wirebox_pair
require_cmd python3
[ -x "$WBCTL" ] || skip "wbctl not built"

setup_ns ns1 ns2

links() { ip -n "$1" -o link show | wc -l; }
exists() { ip -n "$1" link show "$2" >/dev/null 2>&1; }
json_get() {	# JSON KEY -> value of KEY in the first object
	python3 -c 'import json,sys; o=json.loads(sys.argv[1]); print(o[0][sys.argv[2]] if o else "")' "$1" "$2"
}

check "pair add with peer in another netns, napi mode" \
	"$WBCTL" -n "$ns1" pair add wbA peer wbB netns "$ns2" mode napi
check "wbA exists in ns1" exists "$ns1" wbA
check "wbB exists in ns2" exists "$ns2" wbB

js=$("$WBCTL" -n "$ns1" -j pair show dev wbA)
check "pair show -j is valid JSON" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$js"
check_eq "JSON ifname" "$(json_get "$js" ifname)" wbA
check_eq "JSON mode" "$(json_get "$js" mode)" napi
check_eq "JSON peer_ifindex" "$(json_get "$js" peer_ifindex)" \
	"$(link_attr "$ns2" wbB ifindex)"
check_eq "JSON carrier while down" "$(json_get "$js" carrier)" False

ip -n "$ns1" link set wbA up
ip -n "$ns2" link set wbB up
out=$("$WBCTL" -n "$ns2" pair show)
check "text show names the mode and carrier" \
	grep -q "^wbB: peer .* mode napi state UP carrier on" <<<"$out"

# The kernel's extack message reaches the user; exit 2 like ip.
before=$(links "$ns1")
err=$("$WBCTL" -n "$ns1" pair add wbC peer wbA 2>&1 >/dev/null)
rc=$?
check_eq "existing peer name: exit code" "$rc" 2
check_eq "existing peer name: message" "$err" \
	"Error: Peer device name already exists."
check_eq "existing peer name: nothing created" "$(links "$ns1")" "$before"

# wbctl catches this one itself (the kernel would say EEXIST)
err=$("$WBCTL" -n "$ns1" pair add wbD peer wbD 2>&1 >/dev/null)
check_eq "same name for both ends: usage exit code" "$?" 255
check "same name for both ends: message" grep -q "peer name must differ" <<<"$err"
check_eq "same name for both ends: nothing created" "$(links "$ns1")" "$before"

err=$("$WBCTL" -n "$ns1" pair add wbE peer wbF netns nosuch-$RANDOM 2>&1)
check_eq "missing netns: exit code" "$?" 1
check "missing netns: message" grep -q 'netns "nosuch-.*" not found' <<<"$err"
check_eq "missing netns: nothing created" "$(links "$ns1")" "$before"

err=$("$WBCTL" -n "$ns1" pair add wbE peer wbF mode turbo 2>&1)
check_eq "bad mode: usage exit code" "$?" 255
check "bad mode: message" grep -q 'argument "turbo" is wrong' <<<"$err"

err=$("$WBCTL" -n "$ns1" pair del lo 2>&1)
check_eq "del of a non-wbpair: exit code" "$?" 1
check "del of a non-wbpair: message" grep -q '"lo" is not a wbpair device' <<<"$err"
check "del of a non-wbpair: lo still there" exists "$ns1" lo

check "pair del from the peer's side" "$WBCTL" -n "$ns2" pair del wbB
check_fail "wbA is gone with it" exists "$ns1" wbA
check_eq "pair show is empty" "$("$WBCTL" -n "$ns1" -j pair show)" "[]"

wb_exit

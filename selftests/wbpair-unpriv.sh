#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may do what: a non-root user can neither create nor delete nor
# change a pair; root in an unprivileged user namespace may make pairs in
# its own netns only (pair_netlink's userns test checks that it cannot
# reach the peer into a netns it does not own).
#
#   ns1: wu1 ==== wu2 :ns1   (made by root)
source lib.sh

require_module wirebox_pair
require_cmd setpriv unshare
[ -x "$WBCTL" ] || skip "wbctl not built"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"

setup_ns ns1
check "root creates wu1/wu2" "$WBCTL" -n "$ns1" pair add wu1 peer wu2

err=$(ip netns exec "$ns1" $NOBODY "$WBCTL" pair add wx1 peer wx2 2>&1)
check_eq "nobody: pair add exit code" "$?" 2
check "nobody: pair add says EPERM" grep -q "Operation not permitted" <<<"$err"
check_fail "nobody: nothing made" ip -n "$ns1" link show wx1

err=$(ip netns exec "$ns1" $NOBODY "$WBCTL" pair del wu1 2>&1)
check_eq "nobody: pair del exit code" "$?" 2
check "nobody: wu1 still there" ip -n "$ns1" link show wu1

check_fail "nobody: cannot set wu1 up" \
	ip netns exec "$ns1" $NOBODY ip link set wu1 up
check_fail "nobody: cannot change wu1's MTU" \
	ip netns exec "$ns1" $NOBODY ip link set wu1 mtu 1400
check_fail "nobody: cannot move wu2 to another netns" \
	ip netns exec "$ns1" $NOBODY ip link set wu2 netns 1
check "nobody: can read the pair" \
	ip netns exec "$ns1" $NOBODY "$WBCTL" -j pair show

# root in its own user+net namespace: allowed there, and only there
out=$($NOBODY unshare -Urn sh -c "
	$WBCTL pair add uu1 peer uu2 mode napi && ip link set uu1 up &&
	ip link set uu2 up && ip -br link show uu1" 2>&1)
check "userns root: pair in its own netns" grep -q "^uu1@uu2 .*UP" <<<"$out"
check_fail "userns root: nothing appeared in ns1" ip -n "$ns1" link show uu1
check_fail "userns root: nothing appeared in init netns" ip link show uu1
wb_exit

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`'s tour (tools/demo-guest.sh), run in the suite's VM so that
# the demo cannot rot: every act of the tour checks what it shows (the
# three captures, ring heads moving, each namespace's hook walk, the
# conntrack entries, the stateful rule) and the tour exits 1 on the first
# claim that does not hold.
source "$(dirname "$0")/lib.sh"

require_cmd ip tcpdump socat python3 ethtool dmesg
require_module wirebox_pair
require_module wirebox_nic
require_module wirebox_nf
[ -n "${WB_ROOT:-}" ] || skip "WB_ROOT not set (run through tools/vm-run.sh)"
for ns in h1 router h2 h3; do
	[ -e "/run/netns/$ns" ] && skip "a namespace named $ns exists (the tour's own)"
done

WBCTL=$WBCTL bash "$WB_ROOT/tools/demo-guest.sh"
rc=$?
check_eq "the demo tour ran to its end" "$rc" 0
wb_exit

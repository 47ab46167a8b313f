#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: install what is missing, build, boot a VM with the modules
# loaded and play the tour of tools/demo-guest.sh: a host on a cabled
# wbnic, a router with a bridge of wbpair ports, two hosts behind it;
# captures, rings, the hook walk of one packet, conntrack, a stateful rule.
# Exit non-zero if any act does not show what it claims.
#
#   WB_KVERS=...   boot this kernel instead of the first target
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

tools/deps.sh --check || tools/deps.sh
kvers=($(tools/kernels.sh))
kver=${kvers[0]:?no target kernel installed}
echo "demo: building for $kver"
mkdir -p build
tools/kbuild.sh "/lib/modules/$kver/build" >build/demo-build.log 2>&1 ||
	{ cat build/demo-build.log; exit 1; }
make -s -C userspace
make -s -C userspace/iproute2
echo "demo: booting $kver in a VM (virtme-ng; under TCG the tour takes 3-4 min)"
exec tools/vm-run.sh -k "$kver" -t 900 -o "build/demo/$kver" -- tools/demo-guest.sh

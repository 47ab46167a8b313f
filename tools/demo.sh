#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: install what is missing, build, boot a VM with the modules
# loaded and walk through a wbpair between two namespaces.
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
echo "demo: booting $kver in a VM (virtme-ng; under TCG this takes ~20 s)"
exec tools/vm-run.sh -k "$kver" -t 600 -- tools/demo-guest.sh

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the wirebox modules for one kernel, out of the source tree:
#
#   tools/kbuild.sh KDIR [make args...]     e.g. W=1 C=1
#
# The kernel's build system writes objects next to the sources, so each
# kernel gets its own copy of Kbuild + modules/ under build/KRELEASE/ and
# the modules end up in build/KRELEASE/modules/*/*.ko.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KDIR=${1:?usage: kbuild.sh KDIR [make args]}
shift

if [ ! -e "$KDIR/Makefile" ]; then
	echo "kbuild: $KDIR has no kernel Makefile (headers not installed?)" >&2
	exit 2
fi
KREL=$(cat "$KDIR/include/config/kernel.release" 2>/dev/null ||
	make -s -C "$KDIR" kernelrelease)
OUT=$ROOT/build/$KREL

mkdir -p "$OUT"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' --exclude 'modules.order' --exclude 'Module.symvers' \
	"$ROOT/Kbuild" "$ROOT/modules" "$OUT/"
echo "kbuild: $KREL -> build/$KREL"
make -C "$KDIR" M="$OUT" "$@" modules

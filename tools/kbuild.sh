#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the wirebox modules for one kernel, out of the source tree:
#
#   tools/kbuild.sh KDIR [make args...]     e.g. W=1 C=1
#   tools/kbuild.sh --release KDIR          print KVER (below) and exit
#
# The kernel's build system writes objects next to the sources, so each
# kernel gets its own copy of Kbuild + modules/ under build/KVER/ and the
# modules end up in build/KVER/modules/*/*.ko. KVER is the directory name
# under /lib/modules for KDIR=/lib/modules/KVER/build (Debian's 6.1 headers
# say "6.1.192" in kernel.release while the image is 6.1.0-N-amd64), else
# the tree's kernel.release.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RELEASE_ONLY=0
if [ "${1:-}" = --release ]; then
	RELEASE_ONLY=1
	shift
fi
KDIR=${1:?usage: kbuild.sh KDIR [make args]}
shift

no_tree() {
	echo "kbuild: $KDIR has no kernel Makefile (headers not installed?)" >&2
	exit 2
}
# the release of a /lib/modules/KVER/build path is in its name: --release
# answers it without the tree (`make install` on a kernel without its
# headers, the debug kernel in a VM)
case $KDIR in
/lib/modules/*/build | /lib/modules/*/build/)
	KREL=${KDIR#/lib/modules/}
	KREL=${KREL%%/*}
	;;
*)
	[ -e "$KDIR/Makefile" ] || no_tree
	KREL=$(cat "$KDIR/include/config/kernel.release" 2>/dev/null ||
		make -s -C "$KDIR" kernelrelease)
	;;
esac
if [ "$RELEASE_ONLY" = 1 ]; then
	echo "$KREL"
	exit 0
fi
[ -e "$KDIR/Makefile" ] || no_tree
OUT=$ROOT/build/$KREL

mkdir -p "$OUT"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' --exclude 'modules.order' --exclude 'Module.symvers' \
	"$ROOT/Kbuild" "$ROOT/modules" "$OUT/"
echo "kbuild: $KREL -> build/$KREL"
make -C "$KDIR" M="$OUT" "$@" modules

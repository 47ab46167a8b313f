#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` / `make uninstall`: the modules, wbctl with its man pages
# and bash completion, and the iproute2 link plugins.
#
#   tools/install.sh install KDIR...     (the Makefile passes its KDIRS)
#   tools/install.sh uninstall KDIR...
#
#   DESTDIR=        staging root (packaging); depmod then indexes the
#                   staged tree only if it holds the kernel's own modules
#   PREFIX=/usr/local   wbctl under PREFIX/sbin, man pages under
#                   PREFIX/share/man, completion under
#                   PREFIX/share/bash-completion/completions
#   IPLIBDIR=       where `ip` looks for link_<kind>.so (default: the
#                   directory Debian's iproute2 uses)
#
# Modules go to /lib/modules/KVER/extra/wirebox/ (KVER as tools/kbuild.sh
# names the build), then `depmod -a KVER`, so that modprobe finds them and
# `ip link add ... type wbpair|wbnic` and wbctl's first call to a family
# load them on demand.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODULES=(pair/wirebox_pair nic/wirebox_nic nf/wirebox_nf)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
mk=(make -s PREFIX="$PREFIX" DESTDIR="$DESTDIR")
[ -n "${IPLIBDIR:-}" ] && mk+=(IPLIBDIR="$IPLIBDIR")

# depmod KVER, on the staged tree when DESTDIR is set
run_depmod() {
	if [ -z "$DESTDIR" ]; then
		depmod -a "$1"
	elif [ -d "$DESTDIR/lib/modules/$1/kernel" ]; then
		depmod -b "$DESTDIR" -a "$1"
	else
		echo "install: DESTDIR without the kernel's modules: run 'depmod -a $1' on the target"
	fi
}

action=${1:-}
shift || true
case $action in
install)
	for kdir in "$@"; do
		kver=$("$ROOT/tools/kbuild.sh" --release "$kdir")
		dir=$DESTDIR/lib/modules/$kver/extra/wirebox
		for m in "${MODULES[@]}"; do
			ko=$ROOT/build/$kver/modules/$m.ko
			[ -r "$ko" ] || { echo "install: no $ko (run make first)" >&2; exit 1; }
			install -D -m 0644 "$ko" "$dir/${m#*/}.ko"
		done
		echo "install: modules for $kver in $dir"
		run_depmod "$kver"
	done
	"${mk[@]}" -C "$ROOT/userspace" install
	"${mk[@]}" -C "$ROOT/userspace/iproute2" install
	;;
uninstall)
	for kdir in "$@"; do
		kver=$("$ROOT/tools/kbuild.sh" --release "$kdir")
		dir=$DESTDIR/lib/modules/$kver/extra/wirebox
		[ -d "$dir" ] || continue
		for m in "${MODULES[@]}"; do
			rm -f "$dir/${m#*/}.ko"
		done
		rmdir --ignore-fail-on-non-empty "$dir"
		rmdir --ignore-fail-on-non-empty "$(dirname "$dir")"
		run_depmod "$kver"
	done
	"${mk[@]}" -C "$ROOT/userspace" uninstall
	"${mk[@]}" -C "$ROOT/userspace/iproute2" uninstall
	;;
*)
	sed -n '4,20s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac

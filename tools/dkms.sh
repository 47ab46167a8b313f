#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS for wirebox.
#
#   tools/dkms.sh test [KVER...]   dkms add + build for each kernel (default:
#                                  every target) in a private dkms tree under
#                                  a temp dir; touches nothing in /var/lib/dkms
#                                  or /usr/src. Prints TAP.
#   tools/dkms.sh install          copy the source to /usr/src/wirebox-VER,
#                                  dkms add/build/install for the running
#                                  kernel (root)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=wirebox
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ROOT/dkms.conf")
FILES=(dkms.conf Kbuild modules)

copy_source() {	# DEST
	mkdir -p "$1"
	rsync -a --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
		--exclude '*.mod*' "${FILES[@]/#/$ROOT/}" "$1/"
}

do_test() {
	local tmp n=0 fail=0 kver ko
	local kvers=("$@")

	[ ${#kvers[@]} -gt 0 ] || mapfile -t kvers < <("$ROOT/tools/kernels.sh")
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	copy_source "$tmp/src/$NAME-$VER"
	mkdir -p "$tmp/tree"
	local dk=(dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src")

	if ! "${dk[@]}" add -m "$NAME" -v "$VER" >"$tmp/add.log" 2>&1; then
		sed 's/^/# /' "$tmp/add.log"
		echo "not ok 1 dkms add $NAME/$VER"
		return 1
	fi
	for kver in "${kvers[@]}"; do
		n=$((n + 1))
		ko=$tmp/tree/$NAME/$VER/$kver/x86_64/module/wirebox_pair.ko
		if "${dk[@]}" build -m "$NAME" -v "$VER" -k "$kver" \
			>"$tmp/build.log" 2>&1 && { [ -e "$ko" ] || [ -e "$ko.xz" ] ||
			[ -e "$ko.zst" ]; }; then
			echo "ok $n dkms add+build $NAME/$VER for $kver"
		else
			sed 's/^/# /' "$tmp/build.log"
			find "$tmp/tree" -name make.log -exec sed 's/^/# /' {} \;
			echo "not ok $n dkms add+build $NAME/$VER for $kver"
			fail=1
		fi
	done
	return $fail
}

do_install() {
	if [ "$(id -u)" != 0 ]; then
		echo "dkms: needs root: sudo $0 install" >&2
		exit 1
	fi
	copy_source "/usr/src/$NAME-$VER"
	dkms add -m "$NAME" -v "$VER" 2>/dev/null || true
	dkms build -m "$NAME" -v "$VER" && dkms install -m "$NAME" -v "$VER"
}

case "${1:-}" in
test) shift; do_test "$@" ;;
install) do_install ;;
*) sed -n '4,12s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac

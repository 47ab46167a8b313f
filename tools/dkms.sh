#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS for wirebox.
#
#   tools/dkms.sh test [KVER...]   dkms add + build for each kernel (default:
#                                  every target) in a private dkms tree under
#                                  a temp dir; touches nothing in /var/lib/dkms
#                                  or /usr/src. Prints TAP.
#   tools/dkms.sh install [KVER...]  copy the source to /usr/src/wirebox-VER,
#                                  dkms add/build/install for each kernel
#                                  (default: the running kernel if its
#                                  headers are installed, else every target)
#                                  (root)
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
	# every BUILT_MODULE_NAME of dkms.conf, compressed or not
	built_all() {
		local m
		for m in $(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"/\1/p' "$ROOT/dkms.conf"); do
			compgen -G "$1/$m.ko*" >/dev/null || { echo "# dkms built no $m.ko"; return 1; }
		done
	}
	for kver in "${kvers[@]}"; do
		n=$((n + 1))
		if "${dk[@]}" build -m "$NAME" -v "$VER" -k "$kver" \
			>"$tmp/build.log" 2>&1 && built_all "$tmp/tree/$NAME/$VER/$kver/x86_64/module"; then
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
	local kvers=("$@") kver

	if [ "$(id -u)" != 0 ]; then
		echo "dkms: needs root: sudo $0 install" >&2
		exit 1
	fi
	if [ ${#kvers[@]} -eq 0 ]; then
		if [ -e "/lib/modules/$(uname -r)/build/Makefile" ]; then
			kvers=("$(uname -r)")
		else
			mapfile -t kvers < <("$ROOT/tools/kernels.sh")
		fi
	fi
	copy_source "/usr/src/$NAME-$VER"
	if ! dkms status -m "$NAME" -v "$VER" | grep -q .; then
		dkms add -m "$NAME" -v "$VER" || exit 1
	fi
	for kver in "${kvers[@]}"; do
		dkms build -m "$NAME" -v "$VER" -k "$kver" &&
			dkms install -m "$NAME" -v "$VER" -k "$kver" || exit 1
	done
}

case "${1:-}" in
test) shift; do_test "$@" ;;
install) shift; do_install "$@" ;;
*) sed -n '4,14s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac

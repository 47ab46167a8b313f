#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS for wirebox.
#
#   tools/dkms.sh test [KVER...]   dkms add, then build + install for each
#                                  kernel (default: every target), then
#                                  remove --all, in private dkms, source and
#                                  install trees under a temp dir; touches
#                                  nothing in /var/lib/dkms, /usr/src or
#                                  /lib/modules. Prints TAP.
#   tools/dkms.sh install [KVER...]  copy the source to /usr/src/wirebox-VER,
#                                  dkms add/build/install for each kernel
#                                  (default: the running kernel if its
#                                  headers are installed, else every target)
#                                  (root)
#   tools/dkms.sh remove           dkms remove --all and /usr/src/wirebox-VER
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

# every BUILT_MODULE_NAME of dkms.conf
module_names() {
	sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"/\1/p' "$ROOT/dkms.conf"
}

# all_in DIR: DIR (recursively) holds every module of dkms.conf, compressed
# or not
all_in() {
	local m

	for m in $(module_names); do
		[ -n "$(find "$1" -name "$m.ko*" 2>/dev/null)" ] ||
			{ echo "# no $m.ko under ${1#"$tmp"/}"; return 1; }
	done
}

# The whole life cycle in private trees (--dkmstree, --sourcetree,
# --installtree): add; for each kernel build, install (then depmod -b on a
# copy of the kernel's module tree, and modprobe resolves wirebox_nf's
# dependencies from it); remove --all; nothing of wirebox may be left.
do_test() {
	local n=0 fail=0 kver m left
	local kvers=("$@")

	[ ${#kvers[@]} -gt 0 ] || mapfile -t kvers < <("$ROOT/tools/kernels.sh")
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	copy_source "$tmp/src/$NAME-$VER"
	mkdir -p "$tmp/tree" "$tmp/root/lib/modules"
	local dk=(dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src"
		  --installtree "$tmp/root/lib/modules" --no-depmod)

	tap() {	# RESULT DESC [LOG...]
		n=$((n + 1))
		if [ "$1" != 0 ]; then
			shift
			local d=$1
			shift
			[ $# -gt 0 ] && sed 's/^/# /' "$@"
			echo "not ok $n $d"
			fail=1
		else
			echo "ok $n $2"
		fi
	}

	"${dk[@]}" add -m "$NAME" -v "$VER" >"$tmp/add.log" 2>&1
	tap $? "dkms add $NAME/$VER" "$tmp/add.log"
	[ $fail = 0 ] || return 1

	for kver in "${kvers[@]}"; do
		if "${dk[@]}" build -m "$NAME" -v "$VER" -k "$kver" >"$tmp/build.log" 2>&1 &&
		   all_in "$tmp/tree/$NAME/$VER/$kver/x86_64/module" >>"$tmp/build.log"; then
			tap 0 "dkms build $NAME/$VER for $kver"
		else
			find "$tmp/tree" -name make.log -exec cat {} + >>"$tmp/build.log"
			tap 1 "dkms build $NAME/$VER for $kver" "$tmp/build.log"
			continue
		fi

		# the kernel's own modules beside ours, for depmod and modprobe
		mkdir -p "$tmp/root/lib/modules/$kver"
		for m in /lib/modules/"$kver"/{kernel,modules.order,modules.builtin,modules.builtin.modinfo}; do
			[ -e "$m" ] && ln -sfn "$m" "$tmp/root/lib/modules/$kver/"
		done
		"${dk[@]}" install -m "$NAME" -v "$VER" -k "$kver" >"$tmp/install.log" 2>&1 &&
			all_in "$tmp/root/lib/modules/$kver/updates" >>"$tmp/install.log" &&
			depmod -b "$tmp/root" "$kver" >>"$tmp/install.log" 2>&1 &&
			modprobe -d "$tmp/root" -S "$kver" --show-depends wirebox_nf \
				>"$tmp/deps.txt" 2>>"$tmp/install.log" &&
			grep -q '/updates/dkms/wirebox_nf\.ko' "$tmp/deps.txt" &&
			grep -q 'nf_defrag_ipv4\.ko' "$tmp/deps.txt"
		tap $? "dkms install $NAME/$VER for $kver: modules in updates/dkms, modprobe resolves wirebox_nf's dependencies" \
			"$tmp/install.log" "$tmp/deps.txt"
	done

	"${dk[@]}" remove -m "$NAME" -v "$VER" --all >"$tmp/remove.log" 2>&1
	tap $? "dkms remove $NAME/$VER --all" "$tmp/remove.log"
	left=$(find "$tmp/root/lib/modules" -path '*/updates/*' -name 'wirebox*'
	       find "$tmp/tree" -mindepth 1 -maxdepth 1 -name "$NAME")
	[ -z "$left" ]
	tap $? "nothing of $NAME left behind after dkms remove" <(echo "$left")
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

do_remove() {
	if [ "$(id -u)" != 0 ]; then
		echo "dkms: needs root: sudo $0 remove" >&2
		exit 1
	fi
	if dkms status -m "$NAME" -v "$VER" | grep -q .; then
		dkms remove -m "$NAME" -v "$VER" --all || exit 1
	fi
	rm -rf "/usr/src/$NAME-$VER"
}

case "${1:-}" in
test) shift; do_test "$@" ;;
install) shift; do_install "$@" ;;
remove) do_remove ;;
*) sed -n '4,18s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The wirebox debug kernel: Debian's linux-source-6.1 configured by
# virtme-ng (vng --kconfig) plus tools/debug-kernel/wirebox-debug.config
# (KASAN, lockdep, kmemleak, UBSAN, DEBUG_LIST, DMA_API_DEBUG, fault
# injection, and the networking the tests need built in).
#
#   tools/debug-kernel.sh build   build it unless cached; print its directory
#   tools/debug-kernel.sh path    print its directory if cached, else exit 1
#   tools/debug-kernel.sh key     print the cache key
#
# Cache: $WB_CACHE (default /var/cache/wirebox)/debug-kernel/KEY/, KEY =
# source package version + hash of the fragment and of the virtme-ng
# version (vng --kconfig writes the base config). KEY/linux is the build
# tree (a valid KDIR for the modules), KEY/kernel.release its release,
# KEY/build-seconds how long the build took.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FRAG=$ROOT/tools/debug-kernel/wirebox-debug.config
TARBALL=/usr/src/linux-source-6.1.tar.xz
CACHE=${WB_CACHE:-/var/cache/wirebox}/debug-kernel

key() {
	local ver vng hash
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || {
		echo "debug-kernel: linux-source-6.1 is not installed (make deps)" >&2
		return 1
	}
	vng=$(vng --version 2>/dev/null) || {
		echo "debug-kernel: virtme-ng is not installed (make deps)" >&2
		return 1
	}
	hash=$({ cat "$FRAG"; echo "$vng"; } | sha256sum | cut -c1-12)
	echo "6.1-$ver-$hash"
}

path() {
	local dir
	dir=$CACHE/$(key) || return 1
	[ -e "$dir/.built" ] || return 1
	echo "$dir"
}

# Every =y of the fragment must have survived olddefconfig.
verify_config() {
	local line missing=0
	while IFS= read -r line; do
		case $line in CONFIG_*=y) ;; *) continue ;; esac
		grep -qx "$line" .config || {
			echo "debug-kernel: $line did not stick" >&2
			missing=1
		}
	done <"$FRAG"
	return $missing
}

build() {
	local dir t0
	dir=$CACHE/$(key)
	if [ -e "$dir/.built" ]; then
		echo "$dir"
		return 0
	fi
	command -v vng >/dev/null || { echo "debug-kernel: run make deps" >&2; return 1; }
	rm -rf "$dir"
	mkdir -p "$dir/linux"
	t0=$SECONDS
	echo "debug-kernel: extracting $TARBALL" >&2
	tar -C "$dir/linux" --strip-components=1 -xf "$TARBALL"
	cd "$dir/linux"
	echo "debug-kernel: configuring (vng --kconfig + $(basename "$FRAG"))" >&2
	vng --kconfig >"$dir/config.log" 2>&1
	# merged after vng's own settings, so ours win (vng forces DEBUG_INFO)
	scripts/kconfig/merge_config.sh -m .config "$FRAG" >>"$dir/config.log" 2>&1
	make olddefconfig >>"$dir/config.log" 2>&1
	verify_config
	echo "debug-kernel: building with -j$(nproc) (log: $dir/build.log)" >&2
	if ! make -j"$(nproc)" >"$dir/build.log" 2>&1; then
		tail -n 40 "$dir/build.log" >&2
		return 1
	fi
	make -s kernelrelease >"$dir/kernel.release"
	echo $((SECONDS - t0)) >"$dir/build-seconds"
	touch "$dir/.built"
	echo "debug-kernel: built $(cat "$dir/kernel.release") in $((SECONDS - t0)) s" >&2
	echo "$dir"
}

case "${1:-}" in
build) build ;;
path) path ;;
key) key ;;
*) sed -n '4,17s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything wirebox needs to build and test on a Debian 12 host:
# both target kernels with headers, virtme-ng, qemu, libmnl, the kernel
# source (for the kselftest harness and checkpatch) and the test tools.
#
#   tools/deps.sh          install what is missing (root, Debian 12)
#   tools/deps.sh --check  exit 0 if nothing is missing, 1 otherwise
set -euo pipefail

SOURCES=/etc/apt/sources.list.d/wirebox.sources
PREFS=/etc/apt/preferences.d/wirebox

PKGS=(
	build-essential bc flex bison libelf-dev kmod cpio dkms sparse
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	qemu-system-x86 busybox-static udev
	libmnl-dev pkg-config
	iproute2 tcpdump ethtool iputils-ping bridge-utils socat iperf3
	procps psmisc python3 xz-utils rsync nftables
	conntrack python3-scapy
	python3-sphinx groff-base man-db
	linux-source-6.12 python3-jsonschema python3-yaml
	gnuplot-nox linux-perf
)

# The 6.12 kernel: Debian 12 carries it in bookworm-security and
# bookworm-backports; its exact version is only known once the indexes are
# there, and a new upload's headers can be out before its signed image. Pick
# the newest version whose headers and an image (signed, else the unsigned
# build of the same kernel: vng boots either) can both be installed, and
# print the two package names.
candidate() {
	local c
	c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
	[ -n "$c" ] && [ "$c" != "(none)" ]
}

kernel_6_12() {
	local kv img
	for kv in $(apt-cache search --names-only '^linux-headers-6\.12\.[0-9.]+\+deb12-amd64$' 2>/dev/null |
		    awk '{print $1}' | sed 's/^linux-headers-//' | sort -rV); do
		candidate "linux-headers-$kv" || continue
		for img in "linux-image-$kv" "linux-image-$kv-unsigned"; do
			if candidate "$img"; then
				echo "$img linux-headers-$kv"
				return
			fi
		done
	done
}

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || echo "$p"
	done
}

have_6_12() {
	ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1 &&
		ls /boot/vmlinuz-6.12.*-amd64 >/dev/null 2>&1
}

check() {
	[ -z "$(missing "${PKGS[@]}" virtme-ng)" ] && have_6_12
}

if [ "${1:-}" = "--check" ]; then
	check
	exit
fi

if check; then
	echo "deps: everything is installed"
	exit 0
fi

if [ ! -r /etc/debian_version ] || ! grep -q '^12' /etc/debian_version; then
	echo "deps: not Debian 12 (bookworm); install by hand the equivalent of:" >&2
	echo "  ${PKGS[*]} virtme-ng, a 6.1 and a 6.12 kernel with headers" >&2
	exit 1
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: packages are missing and this needs root. Run:" >&2
	echo "  sudo $0" >&2
	exit 1
fi

if [ ! -e "$SOURCES" ]; then
	cat >"$SOURCES" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
if [ ! -e "$PREFS" ]; then
	# Never upgrade the system to trixie: only virtme-ng comes from it.
	cat >"$PREFS" <<'PRF'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PRF
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2046
apt-get install -y -q --no-install-recommends $(missing "${PKGS[@]}")

if ! have_6_12; then
	pkgs=$(kernel_6_12)
	if [ -z "$pkgs" ]; then
		echo "deps: no installable 6.12 kernel (image and headers) found" >&2
		exit 1
	fi
	echo "deps: 6.12 kernel: $pkgs"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $pkgs
fi

if [ -n "$(missing virtme-ng)" ]; then
	apt-get install -y -q --no-install-recommends virtme-ng/trixie
fi

check || { echo "deps: install finished but something is still missing" >&2; exit 1; }
echo "deps: done"

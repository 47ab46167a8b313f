#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# List the kernel releases wirebox targets on this machine, one per line:
# every Debian 6.1 and 6.12 kernel with both an image and headers installed,
# newest of each series. WB_KVERS (space separated) overrides.
set -euo pipefail

if [ -n "${WB_KVERS:-}" ]; then
	tr ' ' '\n' <<<"$WB_KVERS" | sed '/^$/d'
	exit 0
fi

for series in 6.1 6.12; do
	for img in /boot/vmlinuz-"$series".*-amd64; do
		[ -e "$img" ] || continue
		kver=${img#/boot/vmlinuz-}
		[ -e "/lib/modules/$kver/build/Makefile" ] && echo "$kver"
	done | sort -V | tail -n1
done

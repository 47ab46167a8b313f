#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the kselftest harness (kselftest_harness.h, kselftest.h) from
# Debian's linux-source-6.1 into build/kselftest/. The kernel's files are
# never committed to this repository.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/kselftest
TARBALL=${WB_LINUX_SOURCE:-$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)}

[ -s "$OUT/kselftest_harness.h" ] && [ -s "$OUT/kselftest.h" ] && exit 0
if [ -z "$TARBALL" ] || [ ! -r "$TARBALL" ]; then
	echo "harness: /usr/src/linux-source-6.1.tar.xz missing (run: make deps)" >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
top=$(basename "$TARBALL" .tar.xz)
tar -C "$tmp" -xf "$TARBALL" \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/tools/testing/selftests/kselftest.h" \
	"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch"
mkdir -p "$OUT" "$ROOT/build/scripts"
cp "$tmp/$top/tools/testing/selftests/"kselftest*.h "$OUT/"
cp "$tmp/$top/scripts/"{checkpatch.pl,spelling.txt,const_structs.checkpatch} \
	"$ROOT/build/scripts/"
echo "harness: extracted into build/kselftest/"

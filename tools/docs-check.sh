#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build Documentation/ with Sphinx (Debian 12's python3-sphinx) into
# build/htmldocs/ and print one TAP line: ok when the build gives no
# warning at all, not ok with each warning as a "# " line otherwise.
# Every page is read again on each run (-E), so a warning in a page that
# has not changed since the last build still counts.
#
# Exit 0 on success, 1 on a warning or a failed build, 4 (skip) when
# sphinx-build is not installed (make deps installs python3-sphinx).
#
#   WB_DOCS_OUT=build/htmldocs     where the HTML goes
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
OUT=${WB_DOCS_OUT:-build/htmldocs}
DESC="Documentation builds with Sphinx, no warnings"

echo "TAP version 13"
echo "1..1"
if ! command -v sphinx-build >/dev/null; then
	echo "ok 1 $DESC # SKIP sphinx-build not found (apt-get install python3-sphinx)"
	exit 4
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
sphinx-build -E -q -W --keep-going -b html -d "$OUT/.doctrees" \
	Documentation "$OUT" >"$log" 2>&1
rc=$?
if [ "$rc" = 0 ] && [ ! -s "$log" ]; then
	echo "ok 1 $DESC"
	exit 0
fi
echo "not ok 1 $DESC"
sed "s|$ROOT/||; s/^/# /" "$log"
echo "# sphinx-build exited with $rc; output in $OUT/"
exit 1

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's YNL tools for wirebox's netlink specs
# (Documentation/netlink/specs/*.yaml).
#
#   tools/ynl.sh [path]   extract tools/net/ynl/ and Documentation/netlink/
#                         (the genetlink*.yaml schemas) from Debian's
#                         linux-source-6.12 into build/ynl/, once, and print
#                         that directory
#   tools/ynl.sh check    also validate every spec against its schema and
#                         compare each with the UAPI header (names and
#                         values); TAP lines, exit 1 on any failure
#
# The kernel's files are never committed: build/ is ignored. Then:
#
#   python3 build/ynl/tools/net/ynl/cli.py \
#       --spec Documentation/netlink/specs/wbnf.yaml \
#       --schema build/ynl/Documentation/netlink/genetlink-legacy.yaml \
#       --dump rule-get
#
# or, the same without --schema (a link to each spec sits next to the
# kernel's, where cli.py finds the schema itself):
#
#   python3 build/ynl/tools/net/ynl/cli.py \
#       --spec build/ynl/Documentation/netlink/specs/wbnf.yaml --dump rule-get
#
# Needs python3-yaml, and python3-jsonschema for schema validation.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/ynl
SPECS=$ROOT/Documentation/netlink/specs
UAPI=$ROOT/modules/include/uapi/linux/wirebox.h
TARBALL=${WB_LINUX_SOURCE_612:-/usr/src/linux-source-6.12.tar.xz}

extract() {
	local stamp=$OUT/.extracted top tmp want
	if [ ! -r "$TARBALL" ]; then
		echo "ynl: $TARBALL missing (run: make deps; Debian package linux-source-6.12)" >&2
		return 2
	fi
	want="$TARBALL $(stat -c '%s %Y' "$TARBALL")"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
	   [ -f "$OUT/tools/net/ynl/cli.py" ]; then
		link_specs
		return 0
	fi
	top=$(basename "$TARBALL" .tar.xz)
	mkdir -p "$ROOT/build"
	tmp=$(mktemp -d "$ROOT/build/.ynl.XXXXXX")
	# MAINTAINERS marks the tree's root for ynl-gen-c.py (it looks for it)
	if ! tar -C "$tmp" -xJf "$TARBALL" --wildcards \
		"$top/tools/net/ynl/*" "$top/Documentation/netlink/*" \
		"$top/MAINTAINERS"; then
		rm -rf "$tmp"
		echo "ynl: cannot extract from $TARBALL" >&2
		return 2
	fi
	echo "$want" >"$tmp/$top/.extracted"
	rm -rf "$OUT"
	mv "$tmp/$top" "$OUT"
	rm -rf "$tmp"
	link_specs
	echo "ynl: extracted into build/ynl/" >&2
}

# build/ynl/Documentation/netlink/specs/wb*.yaml -> ours (relative links,
# so they hold through the VM's 9p mount too)
link_specs() {
	local f
	for f in "$SPECS"/*.yaml; do
		[ -e "$f" ] || continue
		ln -sfn "../../../../../Documentation/netlink/specs/$(basename "$f")" \
			"$OUT/Documentation/netlink/specs/$(basename "$f")"
	done
}

check() {
	command -v python3 >/dev/null || { echo "ynl: python3 missing" >&2; return 2; }
	command -v "${CC:-gcc}" >/dev/null || { echo "ynl: ${CC:-gcc} missing" >&2; return 2; }
	local tmp rc=0
	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand now
	[ -n "${WB_YNL_KEEP:-}" ] || trap "rm -rf '$tmp'" RETURN
	python3 - "$OUT" "$SPECS" "$UAPI" "$tmp" "${CC:-gcc}" <<'EOF' || rc=$?
import os, re, subprocess, sys

out, specs, uapi, tmp, cc = sys.argv[1:6]
sys.path.insert(0, os.path.join(out, 'tools/net/ynl'))
from lib import SpecFamily  # noqa: E402

n = 0
failed = 0


def tap(ok, what, diag=()):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(f"{'ok' if ok else 'not ok'} {n} {what}")
    for line in diag:
        print(f"# {line}")


def c_names(text):
    """NAME -> None for every enumerator and #define in a C header."""
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    names = {}
    for m in re.finditer(r'^#define\s+(\w+)', text, re.M):
        names[m.group(1)] = None
    for body in re.findall(r'enum\s*\w*\s*\{(.*?)\}', text, re.S):
        for item in body.split(','):
            m = re.match(r'\s*(\w+)', item)
            if m:
                names[m.group(1)] = None
    return names


# The rtnetlink part of the UAPI (link kinds) belongs to no genl family;
# enum wbnf_tcp_state's count has no X_MAX beside it, so the spec does
# not render it (render-max would add WBNF_TCP_MAX).
NOT_GENL = re.compile(r'^(_UAPI_LINUX_WIREBOX_H|WBPAIR_\w+|__WBPAIR_\w+|'
                      r'WBNIC_KIND|WBNIC_INFO_\w+|__WBNIC_INFO_\w+|'
                      r'__WBNF_TCP_MAX)$')

uapi_names = {k for k in c_names(open(uapi).read()) if not NOT_GENL.match(k)}
covered = set()
gen = os.path.join(out, 'tools/net/ynl/ynl-gen-c.py')

for path in sorted(f for f in os.listdir(specs) if f.endswith('.yaml')):
    spec = os.path.join(specs, path)
    name = path[:-5]
    # 1. the spec against the kernel's schema for its protocol
    try:
        import yaml
        proto = yaml.safe_load(open(spec)).get('protocol', 'genetlink')
        schema = os.path.join(out, 'Documentation/netlink', proto + '.yaml')
        SpecFamily(spec, schema)
        tap(True, f"{name}: valid {proto} spec ({os.path.basename(schema)})")
    except Exception as e:  # jsonschema.ValidationError and the like
        tap(False, f"{name}: valid spec", str(e).splitlines()[:12])
        continue

    # 2. the UAPI ynl-gen-c.py renders from the spec, name by name, has the
    #    values of the real one (the compiler computes both)
    #    (through the link in build/ynl: ynl-gen-c.py wants the schema two
    #    levels up, and MAINTAINERS above, as in a kernel tree)
    link = os.path.join(out, 'Documentation/netlink/specs', path)
    hdr = os.path.join(tmp, name + '-gen.h')
    r = subprocess.run([sys.executable, gen, '--spec', link,
                        '--mode', 'uapi', '--header', '-o', hdr],
                       capture_output=True, text=True, timeout=120)
    if r.returncode:
        tap(False, f"{name}: ynl-gen-c.py renders a UAPI header",
            (r.stdout + r.stderr).splitlines()[-8:])
        continue
    text = re.sub(r'/\*.*?\*/', '', open(hdr).read(), flags=re.S)
    text = re.sub(r'#(ifndef|endif|define _UAPI)[^\n]*', '', text)
    # every block of its own: two attribute sets may share a prefix (wbnf's
    # ruleset reuses the top-level numbers), and so render twice
    blocks = re.findall(r'(enum\s*\w*\s*\{.*?\};|#define\s+\w+[^\n]*)', text, re.S)
    decls, checks, tags = [], [], set()
    for i, b in enumerate(blocks):
        names = list(c_names(b))
        tag = re.match(r'enum\s*(\w*)', b)
        if tag and tag.group(1) and tag.group(1) in tags:
            # a second view of one enum: its count and max are its own
            cnt = [j for j, nm in enumerate(names) if nm.startswith('__')]
            if cnt:
                names = names[:cnt[0]]
        elif tag and tag.group(1):
            tags.add(tag.group(1))
        renamed = re.sub(r'\b(_*WB\w+)\b', rf'G{i}_\1', b)
        renamed = re.sub(r'^enum\s*\w*', 'enum', renamed)
        decls.append(renamed)
        for nm in names:
            checks.append((nm, f'G{i}_{nm}'))
    prog = ['#include <stdio.h>', '#include <string.h>',
            '#include "wirebox.h"', *decls,
            'static long long num(long long v) { return v; }',
            'int main(void)', '{', '\tint bad = 0;']
    for real, g in checks:
        covered.add(real)
        prog.append(f'#ifdef {g}\n\tif (strcmp({real}, {g})) {{ bad = 1; '
                    f'printf("{real}: UAPI \\"%s\\", spec \\"%s\\"\\n", {real}, {g}); }}\n'
                    f'#else\n\tif (num({real}) != num({g})) {{ bad = 1; '
                    f'printf("{real}: UAPI %lld, spec %lld\\n", num({real}), num({g})); }}\n'
                    f'#endif')
    prog += ['\treturn bad;', '}']
    # string #defines (family and group names) compare with strcmp
    src = os.path.join(tmp, name + '-check.c')
    body = '\n'.join(prog)
    strdefs = {g for real, g in checks
               if re.search(rf'#define\s+{g}\s+"', body)}
    body = re.sub(r'#ifdef (\w+)\n(.*?)\n#else\n(.*?)\n#endif',
                  lambda m: m.group(2) if m.group(1) in strdefs else m.group(3),
                  body, flags=re.S)
    open(src, 'w').write(body + '\n')
    exe = os.path.join(tmp, name + '-check')
    r = subprocess.run([cc, '-Wall', '-Werror', '-o', exe, '-I',
                        os.path.dirname(uapi), src],
                       capture_output=True, text=True)
    if r.returncode:
        missing = sorted(set(re.findall(r"[\u2018'](\w+)[\u2019'] undeclared", r.stderr)))
        diag = ([f"not in the UAPI: {m}" for m in missing] or
                r.stderr.splitlines()[:12])
        tap(False, f"{name}: every name the spec renders is in the UAPI", diag)
        continue
    r = subprocess.run([exe], capture_output=True, text=True)
    tap(r.returncode == 0,
        f"{name}: {len(checks)} UAPI names and values match the spec",
        r.stdout.splitlines())

# 3. nothing of the genl UAPI is left out of every spec
left = sorted(uapi_names - covered)
tap(not left, "every generic netlink name of the UAPI is in a spec",
    [f"in no spec: {x}" for x in left])
print(f"1..{n}")
sys.exit(1 if failed else 0)
EOF
	return $rc
}

case ${1:-path} in
path)
	extract
	echo "$OUT"
	;;
check)
	extract
	check
	;;
*)
	echo "usage: $0 [path|check]" >&2
	exit 2
	;;
esac

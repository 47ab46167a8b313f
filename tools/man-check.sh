#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man pages and the bash completion against what wbctl itself says.
# Prints TAP: one line per page in userspace/man/, then one for the
# completion.
#
#   page        its SYNOPSIS, rendered (groff -Tascii) and with its
#               whitespace collapsed, must hold exactly the usage() text of
#               its objects ("wbctl OBJECT help"): every command line in
#               order, then every "where" definition once; a sub-page starts
#               with "wbctl [ OPTIONS ] OBJECT { COMMAND | help }". And
#               "man --warnings -l -Tutf8 PAGE" must print no warning.
#   completion  userspace/completion/wbctl, run in bash, must offer every
#               object, option and command the usage() texts list, at the
#               place they list it.
#
# Needs userspace/wbctl (make -C userspace), groff, man and python3.
# WB_MAN_DIR and WB_COMPLETION check other copies (the script's own tests).
# Exit 0 when every line is ok, 1 otherwise.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
WBCTL=${WBCTL:-userspace/wbctl}

echo "TAP version 13"
if [ ! -x "$WBCTL" ]; then
	echo "1..1"
	echo "not ok 1 $WBCTL built (run: make -C userspace)"
	exit 1
fi
for t in groff man python3; do
	if ! command -v "$t" >/dev/null; then
		echo "1..1"
		echo "not ok 1 $t installed"
		exit 1
	fi
done

exec python3 - "$WBCTL" <<'EOF'
import difflib
import os
import re
import subprocess
import sys

WBCTL = sys.argv[1]
MAN = os.environ.get('WB_MAN_DIR', 'userspace/man')
COMPLETION = os.environ.get('WB_COMPLETION', 'userspace/completion/wbctl')
# page -> the objects whose usage() it documents, in order
PAGES = [
    ('wbctl.8', [None]),
    ('wbctl-pair.8', ['pair']),
    ('wbctl-nic.8', ['nic']),
    ('wbctl-rule.8', ['rule', 'policy', 'stats']),
    ('wbctl-trace.8', ['trace', 'monitor']),
    ('wbctl-ct.8', ['ct']),
]

n = 0
failed = 0


def result(ok, desc, diag=()):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(('ok' if ok else 'not ok') + ' %d %s' % (n, desc))
    for line in diag:
        print('# ' + line)


def norm(s):
    return ' '.join(s.split())


def usage(obj):
    """The usage() text of @obj (None: wbctl's own), as entries."""
    cmd = [WBCTL, 'help'] if obj is None else [WBCTL, obj, 'help']
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    entries = []
    for line in p.stdout.splitlines():
        if not line.strip():
            continue
        for prefix in ('Usage: ', 'where  '):
            if line.startswith(prefix):
                line = ' ' * len(prefix) + line[len(prefix):]
        # a new entry starts at column 7; deeper lines continue it
        if line[7:8] != ' ' and entries is not None:
            entries.append(line.strip())
        else:
            entries[-1] += ' ' + line.strip()
    return [norm(e) for e in entries]


def is_command(entry):
    return entry.startswith('wbctl ')


def expected(objs):
    cmds, defs = [], []
    for obj in objs:
        for e in usage(obj):
            if is_command(e):
                cmds.append(e)
            elif e not in defs:
                defs.append(e)
    return cmds + defs


def synopsis(page):
    """The rendered SYNOPSIS of @page: one entry per paragraph."""
    env = dict(os.environ, LC_ALL='C')
    p = subprocess.run(['groff', '-t', '-man', '-Tascii', '-P-cbou',
                        '-rLL=2000n', '-rHY=0', page],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       universal_newlines=True, env=env)
    text = p.stdout.splitlines()
    out, cur, inside = [], [], False
    for line in text:
        if re.match(r'^[A-Z][A-Z ]+$', line):
            if inside:
                break
            inside = line.strip() == 'SYNOPSIS'
            continue
        if not inside:
            continue
        if line.strip():
            cur.append(line.strip())
        elif cur:
            out.append(norm(' '.join(cur)))
            cur = []
    if cur:
        out.append(norm(' '.join(cur)))
    return out


def man_warnings(page):
    env = dict(os.environ, MANWIDTH='80', LC_ALL='C.UTF-8')
    p = subprocess.run(['man', '--warnings', '-l', '-Tutf8', page],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       universal_newlines=True, env=env)
    lines = p.stderr.splitlines()
    if p.returncode:
        lines.append('man exited with %d' % p.returncode)
    return lines


def check_page(page, objs):
    path = os.path.join(MAN, page)
    diag = []
    exp = expected(objs)
    got = synopsis(path)
    if objs != [None]:
        name = objs[0] if len(objs) == 1 else '{ %s }' % ' | '.join(objs)
        head = 'wbctl [ OPTIONS ] %s { COMMAND | help }' % name
        if not got or got[0] != head:
            diag.append('SYNOPSIS does not start with "%s"' % head)
        else:
            got = got[1:]
    if got != exp:
        diag.append('SYNOPSIS (-) differs from usage() of %s (+):' %
                    ', '.join('wbctl %s help' % o if o else 'wbctl help'
                              for o in objs))
        diag += [l for l in difflib.unified_diff(got, exp, 'man', 'usage',
                                                 lineterm='', n=1)][2:]
    warn = man_warnings(path)
    if warn:
        diag.append('man --warnings:')
        diag += ['  ' + w for w in warn]
    what = ', '.join('wbctl %s help' % o if o else 'wbctl help' for o in objs)
    result(not diag, '%s: SYNOPSIS matches %s; man --warnings clean' %
           (page, what), diag)


# ---- completion ----

WORD = r'[a-z][a-z0-9_-]*'


def alternatives(tok):
    """{ a | b } or [ a | b ] of plain words: the words; else None."""
    m = re.match(r'^[\[{] (.*) [\]}]$', tok)
    if not m:
        return None
    words = [w.strip() for w in m.group(1).split('|')]
    if all(re.fullmatch(WORD, w) for w in words):
        return words
    return None


def tokens(entry):
    """Split a usage line into words and bracketed groups."""
    out, depth, cur = [], 0, []
    for t in entry.split():
        if depth == 0 and t not in ('[', '{'):
            out.append(t)
            continue
        cur.append(t)
        depth += t in ('[', '{')
        depth -= t in (']', '}', ']...', '}...')
        if depth == 0:
            out.append(' '.join(cur).replace(' ]...', ' ]'))
            cur = []
    return out


def word_defs(entries):
    """NAME := { a | b } definitions of plain words."""
    defs = {}
    for e in entries:
        m = re.match(r'^([A-Z]+) := (\{ .* \})$', e)
        if m and alternatives(m.group(2)):
            defs[m.group(1)] = alternatives(m.group(2))
    return defs


def wants(objs_usage):
    """(words typed before, word wanted) pairs from the usage texts."""
    pairs = []
    top = objs_usage[None]
    defs = word_defs(top)
    for obj in defs.get('OBJECT', []) + ['help']:
        pairs.append(((), obj))
    m = [e for e in top if e.startswith('OPTIONS := ')]
    for opt in re.findall(r'(-\w)\[(\w+)\]', m[0] if m else ''):
        pairs.append(((), opt[0]))
        pairs.append(((), opt[0] + opt[1]))
    for obj, entries in objs_usage.items():
        if obj is None:
            continue
        defs = word_defs(entries)
        for e in filter(is_command, entries):
            toks = tokens(e)[1:]
            path = []
            for t in toks:
                if re.fullmatch(WORD, t):
                    pairs.append((tuple(path), t))
                    path.append(t)
                    continue
                alts = alternatives(t)
                if alts is None:
                    inner = re.match(r'^\[ ([A-Z]+) \]$', t)
                    name = inner.group(1) if inner else t
                    alts = defs.get(name)
                for w in alts or []:
                    pairs.append((tuple(path), w))
                break
    return pairs


def completions(queries):
    """Run _wbctl for each typed prefix; {prefix: set of words}."""
    script = ['source %s' % COMPLETION]
    for q in queries:
        words = ['wbctl'] + list(q[0]) + [q[1]]
        script.append('COMP_WORDS=(%s); COMP_CWORD=%d; _wbctl; '
                      'printf "%%s\\n" "@@" "${COMPREPLY[@]}"' %
                      (' '.join("'%s'" % w for w in words), len(words) - 1))
    p = subprocess.run(['bash', '--norc', '--noprofile', '-c',
                        '\n'.join(script)], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, universal_newlines=True,
                       env=dict(os.environ, PATH=os.path.dirname(
                           os.path.abspath(WBCTL)) + ':' + os.environ['PATH']))
    chunks = p.stdout.split('@@\n')[1:]
    return {q: set(c.split()) for q, c in zip(queries, chunks)}


def check_completion():
    objs_usage = {None: usage(None)}
    for _, objs in PAGES:
        for o in objs:
            if o:
                objs_usage[o] = usage(o)
    pairs = wants(objs_usage)
    queries = sorted({(p, '-' if w.startswith('-') else '') for p, w in pairs})
    got = completions(queries)
    missing = []
    for path, w in pairs:
        q = (path, '-' if w.startswith('-') else '')
        if w not in got.get(q, set()):
            typed = ' '.join(('wbctl',) + path + ((q[1],) if q[1] else ()))
            missing.append('"%s<TAB>" does not offer "%s"' % (typed + ' ', w))
    result(not missing, 'completion/wbctl offers every object, option and '
           'command of the usage() texts (%d checked)' % len(pairs), missing)


for page, objs in PAGES:
    check_page(page, objs)
check_completion()
print('1..%d' % n)
sys.exit(1 if failed else 0)
EOF

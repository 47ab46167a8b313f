#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rule index: a run of rules that each match one value per field (a
# whole address, one port, ...) with the same fields is looked up by hash
# instead of rule by rule; with a port range in one port field, by hash of
# the other fields and a search of port intervals (modules/nf/rules.c,
# Documentation/nf.rst). The verdicts and counters must be exactly those
# of the first-match walk.
#
# Each case loads a rule set on A's output hook (wbctl rule restore), sends
# UDP datagrams from A and compares every rule's packet counter with a
# model of the first-match walk (LOG rules count and go on): random rule
# sets in blocks (runs of keyed rules of one shape, exact or with
# overlapping port ranges, broken by two ranges, prefixes, LOG rules, ct
# state rules, other shapes), duplicates of a value (the first one wins),
# nested and overlapping ranges up to port 65535, IPv4 and IPv6, and 10000
# rules with one value or a range. A check also reads
# how many rules the kernel looks up by hash (wbctl -j stats: "indexed"),
# so the index is known to be in use, not only harmless.
#
#  +-----------------------+          +--------------+
#  | A  a1 10.0.90.1/16    +--wbpair--+ b1         B |
#  |       fd00:90::1/64   |          |              |
#  +-----------------------+          +--------------+
#
# The datagrams go to addresses nobody has: the output hook sees them
# before the neighbour lookup; B only keeps a1's carrier up.

source "$(dirname "$0")/lib.sh"

require_cmd ip python3
require_module wirebox_pair
require_module wirebox_nf
wbctl_has_nf || skip "$WBCTL has no rule object"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"
setup_ns A B || exit $ksft_fail
check "wbpair a1 (A) <-> b1 (B)" wbpair_add "$A" a1 b1 "$B"
bail_on_fail
ip -n "$A" addr add 10.0.90.1/16 dev a1
addr_up "$A" a1 fd00:90::1/64
ip -n "$B" link set b1 up
# ND goes out on the output hook too, but matches no rule (all are UDP or
# ct state established; ND is not tracked)

# run_case SEED KIND: generate rules + probes, load, send, compare.
# KIND: random (blocks of every shape), dup (one value many times), ranges
# (overlapping ranges of one port field), big (10000 keyed rules), bigrange
# (10000 rules: an address and a range of ports).
# shellcheck disable=SC2317 # called through check
run_case() {
	ip netns exec "$A" python3 - "$WBCTL" "$TMP" "$@" <<'EOF'
import ipaddress, json, random, socket, subprocess, sys

wbctl, tmp, seed, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
V4 = ipaddress.ip_network("10.0.128.0/24")	# in a1's /16, nobody's
V6 = ipaddress.ip_network("fd00:90::100/120")

def addr(fam):
    net = V4 if fam == 4 else V6
    return str(net[rng.randrange(4, 60)])

# a rule: dict(fam, dst, plen, sport, dport (lo, hi), ct, verdict)
def rule(**kw):
    r = dict(fam=None, dst=None, plen=None, sport=None, dport=None,
             ct=False, verdict="accept")
    r.update(kw)
    return r

def port():
    return rng.randrange(1000, 1100)

def verdict():
    return rng.choice(["accept", "drop"])

SHAPES = {
    "dport": lambda: rule(dport=(port(),) * 2, verdict=verdict()),
    "sport_dport": lambda: rule(sport=(rng.randrange(40000, 40004),) * 2,
                                dport=(port(),) * 2, verdict=verdict()),
    "dst4_dport": lambda: rule(fam=4, dst=addr(4), plen=32,
                               dport=(port(),) * 2, verdict=verdict()),
    "dst6_dport": lambda: rule(fam=6, dst=addr(6), plen=128,
                               dport=(port(),) * 2, verdict=verdict()),
    "dst4": lambda: rule(fam=4, dst=addr(4), plen=32, verdict=verdict()),
    # one port field a range (or one port) in some rules: a ranged run
    "drange": lambda: rule(dport=prange(), verdict=verdict()),
    "dst4_drange": lambda: rule(fam=4, dst=addr(4), plen=32,
                                dport=prange(), verdict=verdict()),
    "sport_drange": lambda: rule(sport=(rng.randrange(40000, 40004),) * 2,
                                 dport=prange(), verdict=verdict()),
    "srange_dport": lambda: rule(sport=(40000, 40000 + rng.randrange(4)),
                                 dport=(port(),) * 2, verdict=verdict()),
}

def prange():
    lo = port()
    return (lo, lo + rng.choice([0, 0, 1, 3, 8, 30]))

def odd():
    """A rule the index cannot take: it breaks a run."""
    k = rng.randrange(5)
    if k == 0:
        lo = port()
        return rule(sport=(40000, 40002), dport=(lo, lo + rng.randrange(1, 8)),
                    verdict=verdict())
    if k == 1:
        plen = rng.choice([24, 28, 30])
        net = ipaddress.ip_network("%s/%d" % (addr(4), plen), False)
        return rule(fam=4, dst=str(net.network_address), plen=plen,
                    verdict=verdict())
    if k == 2:
        lo = port()
        return rule(dport=(lo, lo + 20), verdict="log")
    if k == 3:
        return rule(ct=True, verdict="accept")	# ct state established
    return rule(dport=(port(),) * 2, verdict="log")

rules = []
if kind == "random":
    while len(rules) < 400:
        if rng.random() < 0.25:
            rules.append(odd())
            continue
        make = SHAPES[rng.choice(list(SHAPES))]
        rules += [make() for _ in range(rng.randrange(1, 40))]
elif kind == "ranges":
    # nested, overlapping, adjacent, equal ranges; the top of the port space
    for i in range(500):
        lo = rng.randrange(990, 1110)
        hi = min(lo + rng.choice([0, 1, 2, 5, 10, 40, 200]), 65535)
        rules.append(rule(dport=(lo, hi), verdict=verdict()))
        if i % 100 == 0:
            lo = rng.randrange(65400, 65536)
            rules.append(rule(dport=(lo, 65535), verdict=verdict()))
elif kind == "dup":
    # one value 300 times among others: the first of them must count
    for i in range(600):
        p = 1050 if i % 2 else 1000 + i % 97
        rules.append(rule(dport=(p, p), verdict="drop" if i % 3 else "accept"))
elif kind == "big":
    for i in range(9999):
        rules.append(rule(fam=4, dst=str(V4[i % 200 + 4]), plen=32,
                          dport=(2000 + i // 200, 2000 + i // 200),
                          verdict="drop"))
    rules.append(rule(dport=(9, 9)))
else:
    for i in range(9999):
        p = 2000 + 2 * (i // 200)
        rules.append(rule(fam=4, dst=str(V4[i % 200 + 4]), plen=32,
                          dport=(p, p + 2), verdict="drop"))
    rules.append(rule(dport=(9, 9)))

def text(r):
    w = ["output"]
    if r["fam"]:
        w += ["family", "ipv%d" % r["fam"]]
    if r["dst"]:
        w += ["dst", "%s/%d" % (r["dst"], r["plen"])]
    if r["ct"]:
        w += ["ct", "state", "established"]
    else:
        w += ["proto", "udp"]
    for f in ("sport", "dport"):
        if r[f]:
            lo, hi = r[f]
            w += [f, str(lo) if lo == hi else "%d-%d" % (lo, hi)]
    return " ".join(w + [r["verdict"]])

def matches(r, p):
    if r["ct"]:
        return False	# the probes are NEW
    if r["fam"] and r["fam"] != p["fam"]:
        return False
    if r["net"] is not None and p["ip"] not in r["net"]:
        return False
    for f in ("sport", "dport"):
        if r[f] and not r[f][0] <= p[f] <= r[f][1]:
            return False
    return True

# probes: the values the rules name, and others
probes = []
for _ in range(300 if not kind.startswith("big") else 60):
    fam = rng.choice([4, 4, 6])
    if kind == "big":
        i = rng.randrange(9999)
        probes.append(dict(fam=4, dst=str(V4[i % 200 + 4]),
                           sport=40000, dport=2000 + i // 200))
        continue
    if kind == "bigrange":
        i = rng.randrange(9999)
        probes.append(dict(fam=4, dst=str(V4[i % 200 + 4]), sport=40000,
                           dport=2000 + 2 * (i // 200) + rng.randrange(4)))
        continue
    if kind == "ranges":
        d = rng.choice([rng.randrange(985, 1360), rng.randrange(65390, 65536)])
        probes.append(dict(fam=fam, dst=addr(fam), sport=40000, dport=d))
        continue
    r = rng.choice(rules)
    p = dict(fam=r["fam"] or fam, sport=rng.randrange(40000, 40004),
             dport=rng.randint(*r["dport"]) if r["dport"] else port(),
             dst=r["dst"] if r["dst"] and rng.random() < 0.8 else None)
    if p["dst"] is None or ("." in p["dst"]) != (p["fam"] == 4):
        p["dst"] = addr(p["fam"])
    probes.append(p)
if kind.startswith("big"):
    probes.append(dict(fam=4, dst=str(V4[9]), sport=40000, dport=9))

# each address parsed once: the walk below is probes x rules (600,000
# for the big sets), and ipaddress is slow under TCG
for r in rules:
    r["net"] = (ipaddress.ip_network("%s/%d" % (r["dst"], r["plen"]), False)
                if r["dst"] else None)
for p in probes:
    p["ip"] = ipaddress.ip_address(p["dst"])

want = [0] * len(rules)
for p in probes:
    for i, r in enumerate(rules):
        if matches(r, p):
            want[i] += 1
            if r["verdict"] != "log":
                break

with open(tmp + "/rules", "w") as f:
    f.write("policy output accept\n")
    f.writelines(text(r) + "\n" for r in rules)
subprocess.run([wbctl, "rule", "restore", tmp + "/rules"], check=True)

socks = {}
for p in probes:
    key = (p["fam"], p["sport"])
    if key not in socks:
        s = socket.socket(socket.AF_INET if p["fam"] == 4 else socket.AF_INET6,
                          socket.SOCK_DGRAM)
        if p["fam"] == 6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind(("0.0.0.0" if p["fam"] == 4 else "::", p["sport"]))
        socks[key] = s
    try:
        socks[key].sendto(b"x", (p["dst"], p["dport"]))
    except OSError:
        pass	# EPERM: dropped on output, as intended

listing = json.loads(subprocess.run([wbctl, "-j", "rule", "list", "output"],
                                    check=True, capture_output=True).stdout)
got = [r.get("packets", 0) for r in listing]
stats = json.loads(subprocess.run([wbctl, "-j", "stats"], check=True,
                                  capture_output=True).stdout)
indexed = [s.get("indexed") for s in stats
           if s["hook"] == "output" and s["family"] == "ipv4"][0]
keyed = sum(1 for i, r in enumerate(rules) if not r["ct"] and
            r["verdict"] != "log" and sum(r[f] is not None and
                                          r[f][0] != r[f][1]
                                          for f in ("sport", "dport")) < 2 and
            (r["plen"] in (None, 32, 128)))
print("# %d rules (%d could be looked up, %s are), %d probes, %d matched"
      % (len(rules), keyed, indexed, len(probes), sum(want)))
bad = [(i, text(rules[i]), want[i], got[i]) for i in range(len(rules))
       if i >= len(got) or want[i] != got[i]]
for b in bad[:10]:
    print("# rule %d `%s`: expected %d packets, counted %d" % b)
if len(got) != len(rules):
    print("# %d rules listed, %d loaded" % (len(got), len(rules)))
    sys.exit(1)
if bad:
    sys.exit(1)
# blocks shorter than 8 are not worth an index: at least half of them are
if indexed is None or indexed < keyed // 2:
    print("# the index is not in use")
    sys.exit(1)
EOF
}

for seed in 1 2 3 4 5; do
	check "random rule set $seed: counters as the first-match walk" \
		run_case "$seed" random
done
check "one value 300 times: its first rule counts" run_case 7 dup
for seed in 21 22; do
	check "500 overlapping port ranges $seed: counters as the first-match walk" \
		run_case "$seed" ranges
done
check "10000 rules: counters as the first-match walk" run_case 11 big
check "10000 rules with a port range: counters as the first-match walk" \
	run_case 12 bigrange

check "flush: nothing indexed" \
	sh -c "ip netns exec '$A' '$WBCTL' rule flush &&
	       [ \"\$(ip netns exec '$A' '$WBCTL' -j stats | python3 -c '
import json, sys
print(sum(s.get(\"indexed\", 0) for s in json.load(sys.stdin)))')\" = 0 ]"

wb_exit

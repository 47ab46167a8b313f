#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YAML specs (Documentation/netlink/specs/wbnic.yaml, wbnf.yaml) drive
# the families through the kernel's ynl CLI (build/ynl, from tools/ynl.sh),
# each spec validated against the kernel's schema (--schema, on the first
# call of each family), and what ynl reads and writes agrees with wbctl:
#  - wbnic: two NICs cabled with ynl (do cable), wire faults set (do set),
#    ynl get shows peer, faults and rings as wbctl nic show does; ynl dump
#    lists both; uncable through ynl; an out-of-range loss is a netlink
#    error (ERANGE), not a crash, and changes nothing.
#  - wbnf: a rule added with ynl (do rule-new) is in wbctl rule list, one
#    added with wbctl in ynl's rule-get; trace set/get; ct config set/get and
#    ct stats agree with wbctl; a ping's conntrack entry is in ynl's ct
#    dump as in wbctl ct list; the "ct" multicast group's NEW events reach
#    ynl --subscribe; a bad hook is a netlink error (ERANGE).
# Each cli.py start costs seconds under TCG: the do commands of a step go
# in one cli.py --multi, and the checks of a step in one python3.
#
#  +-------------------- ns1 --------------------+  +------ ns2 ------+
#  |  nb1 (wbnic) ===== cable ===== nb2 (wbnic)  |  |  lo: ping, ct   |
#  +---------------------------------------------+  |  wbnf rules     |
#                                                   +-----------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ping python3 timeout
YNL=$WB_ROOT/build/ynl
CLI=$YNL/tools/net/ynl/cli.py
SCHEMA=$YNL/Documentation/netlink/genetlink-legacy.yaml
SPECS=$WB_ROOT/Documentation/netlink/specs
if [ ! -f "$CLI" ] || [ ! -f "$SCHEMA" ]; then
	skip "no ynl in $YNL: run tools/ynl.sh on the host first"
fi
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"
python3 -c 'import jsonschema' 2>/dev/null ||
	skip "python3-jsonschema not installed (ynl --schema needs it)"
require_module wirebox_nic
require_module wirebox_nf
[ -x "$WBCTL" ] || skip "$WBCTL not built"
# the host tree is read-only here
export PYTHONDONTWRITEBYTECODE=1

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"

# ynl NS FAMILY ARGS...: cli.py with FAMILY's spec in NS; JSON on stdout,
# and errors too (cli.py prints a netlink error on stdout and exits 1).
# The first call of each family validates its spec against the schema
# (--schema, jsonschema: slow in a TCG guest), the others skip that.
declare -A VALIDATED
ynl() {
	local ns=$1 fam=$2 schema=(--no-schema)
	shift 2
	if [ -z "${VALIDATED[$fam]:-}" ]; then
		schema=(--schema "$SCHEMA")
		VALIDATED[$fam]=1
	fi
	ip netns exec "$ns" timeout 150 python3 "$CLI" \
		--spec "$SPECS/$fam.yaml" "${schema[@]}" --output-json "$@"
}

# jcheck: checks on the JSON files of $TMP, all in one python3 (each start
# costs seconds in a TCG guest). stdin: lines "WHAT | EXPR | WANT", EXPR
# and WANT Python expressions, J["NAME"] the last JSON line of $TMP/NAME
# (None if that is no JSON). Each line counts as one check.
jcheck() {
	local out rc
	out=$(python3 -c '
import json, os, sys
tmp = sys.argv[1]
class Files(dict):
    def __missing__(self, k):
        try:
            lines = [l for l in open(os.path.join(tmp, k)) if l.strip()]
            v = json.loads(lines[-1])
        except Exception:
            v = None
        self[k] = v
        return v
J = Files()
for line in sys.stdin:
    if not line.strip():
        continue
    what, expr, want = (x.strip() for x in line.split(" | ", 2))
    try:
        got = eval(expr)
    except Exception as e:
        got = "<%s: %s>" % (type(e).__name__, e)
    try:
        w = eval(want)
    except Exception as e:
        w = "<want: %s: %s>" % (type(e).__name__, e)
    if got == w:
        print("# ok:   %s (%r)" % (what, got))
    else:
        print("# FAIL: %s: got %r, want %r" % (what, got, w))
' "$TMP")
	rc=$?
	[ -n "$out" ] && echo "$out"
	nchecks=$((nchecks + $(grep -c '^# \(ok\|FAIL\)' <<<"$out")))
	nfail=$((nfail + $(grep -c '^# FAIL' <<<"$out")))
	if [ $rc -ne 0 ]; then
		wb_log "FAIL: jcheck: python3 exited $rc"
		nchecks=$((nchecks + 1))
		nfail=$((nfail + 1))
	fi
}

# ynl_ok WHAT OUTFILE NS FAMILY ARGS...: a check that ynl succeeds, its
# output kept in $TMP/OUTFILE (and shown when it fails).
ynl_ok() {
	local what=$1 out=$TMP/$2
	shift 2
	nchecks=$((nchecks + 1))
	if ynl "$@" >"$out" 2>&1; then
		wb_log "ok:   $what"
	else
		wb_log "FAIL: $what (ynl $*):"
		sed 's/^/#   /' "$out"
		nfail=$((nfail + 1))
	fi
}

# ynl_err WHAT ERRNO-TEXT NS FAMILY ARGS...: ynl must fail with a netlink
# error naming ERRNO-TEXT, and no Python traceback (not a crash).
ynl_err() {
	local what=$1 want=$2 out=$TMP/err
	shift 2
	nchecks=$((nchecks + 1))
	if ynl "$@" >"$out" 2>&1; then
		wb_log "FAIL: $what: succeeded"
		nfail=$((nfail + 1))
	elif grep -q Traceback "$out" || ! grep -q 'Netlink error' "$out" ||
	     ! grep -qi -- "$want" "$out"; then
		wb_log "FAIL: $what: want a netlink error with '$want', got:"
		sed 's/^/#   /' "$out"
		nfail=$((nfail + 1))
	else
		wb_log "ok:   $what ($(grep -m1 -o 'Netlink error.*' "$out" | cut -c1-80))"
	fi
}

setup_ns NS1 NS2 || exit $ksft_fail

# ------------------------------------------------------------- wbnic
wb_log "-- wbnic"
check "nb1, nb2: ip link add type wbnic, up" \
	sh -c "ip -n $NS1 link add nb1 type wbnic && ip -n $NS1 link add nb2 type wbnic &&
	       ip -n $NS1 link set nb1 up && ip -n $NS1 link set nb2 up"
bail_on_fail
I1=$(link_ifindex "$NS1" nb1)
I2=$(link_ifindex "$NS1" nb2)

ynl_ok "ynl do cable nb1 nb2; do set nb1 loss 1000 corrupt 7; do get nb1" nic1 \
	"$NS1" wbnic \
	--multi cable "{\"ifindex\": $I1, \"peer-ifindex\": $I2}" \
	--multi set "{\"ifindex\": $I1, \"loss\": 1000, \"corrupt\": 7}" \
	--multi get "{\"ifindex\": $I1}"
"$WBCTL" -n "$NS1" -j nic show nb1 >"$TMP/wbctl-nic1" 2>&1
ynl_ok "ynl dump get" nicdump "$NS1" wbnic --dump get
ynl_err "ynl do uncable nb1, then do set loss 2000000 (over a million): ERANGE" \
	"out of range" "$NS1" wbnic \
	--multi uncable "{\"ifindex\": $I1}" \
	--multi set "{\"ifindex\": $I1, \"loss\": 2000000}"
"$WBCTL" -n "$NS1" -j nic show nb1 >"$TMP/wbctl-nic1b" 2>&1
jcheck <<EOF
ynl cable, set: acked, no reply | J["nic1"][:2] | [None, None]
ynl get: ifname peer-ifname peer-ifindex | (lambda m: (m["ifname"], m["peer-ifname"], m["peer-ifindex"]))(J["nic1"][2]) | ("nb1", "nb2", $I2)
ynl get: loss corrupt loopback up | (lambda m: (m["loss"], m["corrupt"], m["loopback"], m["up"]))(J["nic1"][2]) | (1000, 7, 0, 1)
ynl get: no peer-netnsid (same netns) | "peer-netnsid" in J["nic1"][2] | False
wbctl nic show: peer loss_ppm corrupt_ppm (ynl's cable and set) | (lambda n: (n["peer"], n["loss_ppm"], n["corrupt_ppm"]))(J["wbctl-nic1"][0]) | ("nb2", 1000, 7)
ynl get: queues, queue 0 rx-size tx-size = wbctl's | (lambda q: (len(q), q[0]["rx-size"], q[0]["tx-size"]))(J["nic1"][2]["queues"]["queue"]) | (lambda q: (len(q), q[0]["rx"]["size"], q[0]["tx"]["size"]))(J["wbctl-nic1"][0]["queues"])
ynl get: queue 0 irq-cause decodes to flag names | type(J["nic1"][2]["queues"]["queue"][0]["irq-cause"]) | list
ynl dump get: both NICs with their peers | sorted((m["ifname"], m.get("peer-ifname")) for m in J["nicdump"]) | [("nb1", "nb2"), ("nb2", "nb1")]
wbctl nic show: no peer after ynl uncable, loss kept by the refused set | (lambda n: (n.get("peer"), n["loss_ppm"]))(J["wbctl-nic1b"][0]) | (None, 1000)
EOF

# -------------------------------------------------------------- wbnf
wb_log "-- wbnf"
check "wbctl rule add output proto tcp dport 80-90 src 10.9.0.0/16 accept" \
	"$WBCTL" -n "$NS2" rule add output proto tcp dport 80-90 src 10.9.0.0/16 accept
ID2=$("$WBCTL" -n "$NS2" -j rule list output |
	sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -n 1)
ynl_ok "ynl do rule-new, rule-get (wbctl's), trace-set, trace-get, ct-config-set, -get, ct-stats-get" nf1 \
	"$NS2" wbnf \
	--multi rule-new '{"hook": "local-in", "rule": {"proto": 17, "dport-min": 9999, "verdict": "drop"}}' \
	--multi rule-get "{\"hook\": \"local-out\", \"rule-id\": ${ID2:-0}}" \
	--multi trace-set '{"trace-on": 1, "trace-rate": 5, "trace-match": {"proto": 1}}' \
	--multi trace-get '{}' \
	--multi ct-config-set '{"ct-config": {"icmp": 600}}' \
	--multi ct-config-get '{}' \
	--multi ct-stats-get '{}'
"$WBCTL" -n "$NS2" -j rule list >"$TMP/wbctl-rules" 2>&1
"$WBCTL" -n "$NS2" -j ct config >"$TMP/wbctl-ctconf" 2>&1

# the "ct" group: ynl subscribes, sleeps, then prints what arrived; pings
# meanwhile (each a new ICMP id, so a new entry) give NEW events. (No --do
# with it: 6.12's ynl crashes on an event that comes before the reply.)
ynl "$NS2" wbnf --subscribe ct --sleep 15 >"$TMP/ntf" 2>&1 &
NTF=$!
(
	for _ in $(seq 60); do
		ip netns exec "$NS2" ping -c 1 -W 1 -q 127.0.0.1 >/dev/null 2>&1
		sleep 2
	done
) &
PINGER=$!
on_exit "kill $PINGER"
nchecks=$((nchecks + 1))
if wait "$NTF"; then
	wb_log "ok:   ynl --subscribe ct --sleep 15"
else
	wb_log "FAIL: ynl --subscribe ct --sleep 15:"
	sed 's/^/#   /' "$TMP/ntf"
	nfail=$((nfail + 1))
fi
kill "$PINGER" 2>/dev/null
wait "$PINGER" 2>/dev/null
"$WBCTL" -n "$NS2" -j ct stats >"$TMP/wbctl-ctstats" 2>&1
# no entry is made from here on; some may time out between the two
ynl_ok "ynl dump ct-get" ct "$NS2" wbnf --dump ct-get
"$WBCTL" -n "$NS2" -j ct list >"$TMP/wbctl-ct" 2>&1
ID1=$(sed -n 's/^\[{"rule": {"id": \([0-9]*\),.*/\1/p' "$TMP/nf1")
ynl_err "ynl do rule-del (ynl's rule), then do rule-new on hook 7: ERANGE" \
	"out of range" "$NS2" wbnf \
	--multi rule-del "{\"hook\": \"local-in\", \"rule-id\": ${ID1:-0}}" \
	--multi rule-new '{"hook": 7, "rule": {"verdict": "accept"}}'
"$WBCTL" -n "$NS2" -j rule list >"$TMP/wbctl-rules2" 2>&1
jcheck <<EOF
ynl rule-new reply: hook verdict proto dport-min dport-max | (lambda r: (r["hook"], r["verdict"], r["proto"], r["dport-min"], r["dport-max"]))(J["nf1"][0]["rule"]) | ("local-in", "drop", 17, 9999, 9999)
ynl rule-new reply: the id rule-del used | J["nf1"][0]["rule"]["id"] | int("${ID1:-0}")
wbctl rule list: ynl's rule (hook verdict) | [(r["hook"], r["verdict"]) for r in J["wbctl-rules"] if r["id"] == J["nf1"][0]["rule"]["id"]] | [("input", "drop")]
ynl rule-get of wbctl's rule: id hook src src-len proto dport range verdict | (lambda r: (r["id"], r["hook"], r["src"], r["src-len"], r["proto"], r["dport-min"], r["dport-max"], r["verdict"]))(J["nf1"][1]["rule"]) | (int("${ID2:-0}"), "local-out", "10.9.0.0", 16, 6, 80, 90, "accept")
ynl trace-set acked, trace-get: on rate match-proto | (J["nf1"][2], (lambda t: (t["trace-on"], t["trace-rate"], t["trace-match"]["proto"]))(J["nf1"][3])) | (None, (1, 5, 1))
ynl ct-config-get: icmp (set by ynl) udp tcp-established hashsize = wbctl ct config | (lambda c: (c["icmp"], c["udp"], c["tcp-established"], c["hashsize"]))(J["nf1"][5]["ct-config"]) | (lambda c: (600, c["udp"], c["tcp_established"], c["hashsize"]))(J["wbctl-ctconf"])
wbctl ct config: icmp (set by ynl) | J["wbctl-ctconf"]["icmp"] | 600
ynl --subscribe ct: a ct-event new for 127.0.0.1 | any(m["name"] == "ct-event" and m["msg"]["ct-event"] == "new" and m["msg"]["ct"]["orig"]["dst"] == "127.0.0.1" for m in J["ntf"]) | True
ynl ct-stats-get: entries-max = wbctl ct stats max | J["nf1"][6]["ct-stats"]["entries-max"] | J["wbctl-ctstats"]["max"]
ynl dump ct-get: every entry wbctl ct list shows right after (ids) | (len(J["wbctl-ct"]) > 0, {c["id"] for c in J["wbctl-ct"]} <= {m["ct"]["id"] for m in J["ct"]}) | (True, True)
ynl dump ct-get: ICMP entries 127.0.0.1 -> 127.0.0.1, confirmed | sorted({(m["ct"]["orig"]["src"], m["ct"]["orig"]["dst"], "confirmed" in m["ct"]["status"]) for m in J["ct"] if m["ct"]["proto"] == 1}) | [("127.0.0.1", "127.0.0.1", True)]
wbctl rule list after ynl rule-del and a refused rule-new: wbctl's rule only | [(r["id"], r["hook"], r["verdict"]) for r in J["wbctl-rules2"]] | [(int("${ID2:-0}"), "output", "accept")]
EOF

wb_exit

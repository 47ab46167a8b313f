#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise wirebox benchmark figures.

  bench-report.py guest DIR KVER       DIR/raw.tsv -> DIR/results.{json,md}
  bench-report.py host OUT KVER...     OUT/KVER/bench/results.json of each
                                       kernel -> OUT/results.{json,md},
                                       OUT/ratios.dat

raw.tsv has one figure a line: section, round (0: measured once), config,
metric, value. Per section, configuration and metric: median and spread
(min..max) over the rounds. Per comparison: the ratio of the medians
(wirebox / kernel, or large / small), the spread of the per-round ratios
where both figures come from the same round, and the target if there is
one (met / missed).
"""
import json
import os
import re
import statistics
import sys

SECTIONS = {
    "pair": "wbpair vs veth",
    "nic": "wbnic vs veth",
    "nf": "forwarding through netfilter: rules",
    "nfct": "forwarding through netfilter: conntrack table size",
    "mem": "memory",
}
WORKLOADS = {
    "udp64": ("64-byte UDP", "pkt/s"),
    "tcp": ("TCP bulk", "bit/s"),
}
COAL = {
    "wbnic": "default (rx-usecs 20 rx-frames 32)",
    "wbnic-rx0": "rx-usecs 0",
    "wbnic-rx50f64": "rx-usecs 50 rx-frames 64",
    "wbnic-rx100f0": "rx-usecs 100 rx-frames 0",
}
HEADER = [
    "# wirebox benchmarks", "",
    "Each figure is measured in one VM boot side by side with the in-kernel "
    "equivalent, configurations A/B interleaved over the rounds (the order "
    "reversed every other round); medians with the spread (min..max) over "
    "the rounds. Ratios are medians over medians; their spread is that of "
    "the per-round ratios. Under TCG absolute figures mean little; compare "
    "the ratios. A target is met or missed on the median ratio.", ""]


def human(v, unit):
    if v is None:
        return "n/a"
    for div, pre in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.2f} {pre}{unit}"
    if v == int(v):
        return f"{v:.0f} {unit}".rstrip()
    return f"{v:.3g} {unit}".rstrip()


def num(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return int(v) if v == int(v) else v


def parse_raw(path):
    """{section: {config: {metric: {round: value}}}}"""
    raw = {}
    with open(path) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 5 or not cols[4]:
                continue
            sec, rnd, cfg, metric, val = cols
            v = num(val)
            if v is None:
                continue
            raw.setdefault(sec, {}).setdefault(cfg, {}).setdefault(
                metric, {})[int(rnd)] = v
    return raw


def stats(by_round):
    v = list(by_round.values())
    return {"rounds": {str(k): x for k, x in sorted(by_round.items())},
            "median": statistics.median(v), "min": min(v), "max": max(v)}


def fig(res, sec, cfg, metric):
    return res["figures"].get(sec, {}).get(cfg, {}).get(metric)


def median(res, sec, cfg, metric):
    f = fig(res, sec, cfg, metric)
    return f["median"] if f else None


def sort_key(s):
    """configs and metrics with numbers in natural order"""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


# Ratios ------------------------------------------------------------------

def ratio(res, name, a, b, target=None, note=""):
    """a, b: (section, config, metric); target: (">=" or "<=", value)"""
    fa, fb = fig(res, *a), fig(res, *b)
    if not fa or not fb or not fb["median"]:
        return
    r = {"name": name, "value": round(fa["median"] / fb["median"], 3)}
    per = [fa["rounds"][k] / fb["rounds"][k] for k in fa["rounds"]
           if k != "0" and k in fb["rounds"] and fb["rounds"][k]]
    if per:
        r["spread"] = [round(min(per), 3), round(max(per), 3)]
    if target:
        op, t = target
        r["target"] = f"{op} {t}"
        met = r["value"] >= t if op == ">=" else r["value"] <= t
        r["status"] = "met" if met else "missed"
    if note:
        r["note"] = note
    res["ratios"].append(r)


def configs(res, sec, prefix):
    """{number: config} of the configs PREFIX-NUMBER of a section"""
    out = {}
    for cfg in res["figures"].get(sec, {}):
        m = re.fullmatch(re.escape(prefix) + r"-(\d+)", cfg)
        if m:
            out[int(m.group(1))] = cfg
    return dict(sorted(out.items()))


def levels(res, cfg):
    """the table sizes the nfct section measured for CFG"""
    out = []
    for metric in res["figures"].get("nfct", {}).get(cfg, {}):
        m = re.fullmatch(r"pps-(\d+)", metric)
        if m:
            out.append(int(m.group(1)))
    return sorted(out)


def count(n):
    for div, suf in ((1000000, "M"), (1000, "k")):
        if n >= div and n % div == 0:
            return f"{n // div}{suf}"
    return str(n)


def all_ratios(res):
    res["ratios"] = []
    for w in WORKLOADS:
        for wb, k in (("wbpair-xmit", "veth"), ("wbpair-napi", "veth-napi"),
                      ("wbpair-napi", "veth-gro")):
            ratio(res, f"{w} {wb}/{k}", ("pair", wb, w), ("pair", k, w))
    ratio(res, "udp64 wbnic/veth", ("nic", "wbnic", "udp64"),
          ("nic", "veth", "udp64"), (">=", 0.7))
    ratio(res, "tcp wbnic/veth", ("nic", "wbnic", "tcp"),
          ("nic", "veth", "tcp"), (">=", 0.8))
    ratio(res, "tcp wbnic/veth-nogso", ("nic", "wbnic", "tcp"),
          ("nic", "veth-nogso", "tcp"))
    for cfg in ("wbnic-rx0", "wbnic-nolro", "wbnic-rx1024", "wbnic-tx0"):
        ratio(res, f"tcp {cfg}/veth", ("nic", cfg, "tcp"),
              ("nic", "veth", "tcp"))
    for cfg in COAL:
        if cfg != "wbnic":
            ratio(res, f"udp64 {cfg}/veth", ("nic", cfg, "udp64"),
                  ("nic", "veth", "udp64"))
    wb, nft = configs(res, "nf", "wirebox"), configs(res, "nf", "nftables")
    wbr = configs(res, "nf", "wirebox-range")
    nftr = configs(res, "nf", "nftables-range")
    for shape, a, b in (("", wb, nft), (" range", wbr, nftr)):
        for n in a:
            if n in b:
                ratio(res, f"fwd {n}{shape} rules wirebox/nftables",
                      ("nf", a[n], "pps"), ("nf", b[n], "pps"), (">=", 1.0))
    for cfgs in (wb, wbr, nft, nftr):
        for n, cfg in cfgs.items():
            shape = " range" if "-range-" in cfg else ""
            ratio(res, f"fwd {n}{shape} rules {cfg.split('-')[0]}/none",
                  ("nf", cfg, "pps"), ("nf", "none", "pps"))
    # the most rules (of each shape) against the fewest
    for impl, base, more, target in (
            ("wirebox", wb, (wb, wbr), (">=", 0.5)),
            ("nftables", nft, (nft, nftr), None)):
        if not base:
            continue
        lo = min(base)
        for cfgs in more:
            if not cfgs or (cfgs is base and len(cfgs) < 2):
                continue
            hi = max(cfgs)
            shape = " range" if cfgs is not base else ""
            ratio(res, f"fwd {impl} {hi}{shape}/{lo} rules",
                  ("nf", cfgs[hi], "pps"), ("nf", base[lo], "pps"), target)
    for impl, target in (("wirebox", (">=", 0.9)), ("nftables", None)):
        lv = levels(res, impl)
        for n in lv[1:]:
            ratio(res, f"fwd {impl} {count(n)}/{count(lv[0])} entries",
                  ("nfct", impl, f"pps-{n}"), ("nfct", impl, f"pps-{lv[0]}"),
                  target if n == lv[-1] else None,
                  "within 10%" if target and n == lv[-1] else "")
    for n in levels(res, "wirebox"):
        ratio(res, f"fwd {count(n)} entries wirebox/nftables",
              ("nfct", "wirebox", f"pps-{n}"),
              ("nfct", "nftables", f"pps-{n}"))
    ratio(res, "ct entry object_size wirebox_ct/nf_conntrack",
          ("mem", "wirebox_ct", "object_size"),
          ("mem", "nf_conntrack", "object_size"), ("<=", 0.6))
    mem = res["memory"]
    if "wirebox" in mem and "nftables" in mem:
        wbt, nft_t = mem["wirebox"]["total"], mem["nftables"]["total"]
        r = {"name": f"ct bytes per entry at {mem['wirebox']['entries']} "
                     "entries wirebox/nf_conntrack",
             "value": round(wbt / nft_t, 3), "target": "<= 0.6"}
        r["status"] = "met" if r["value"] <= 0.6 else "missed"
        res["ratios"].append(r)
    for m in ("used_per_dev", "slab_per_dev"):
        ratio(res, f"per NIC {m.split('_')[0]} wbnic/veth",
              ("mem", "wbnic", m), ("mem", "veth", m))


def summarise(raw, kver):
    res = {"kernel": kver, "figures": {}, "memory": {}, "times": {}}
    for sec, cfgs in raw.items():
        if sec == "time":
            res["times"] = {c: m["secs"][0] for c, m in cfgs.items()}
            continue
        res["figures"][sec] = {
            cfg: {metric: stats(r) for metric, r in sorted(
                metrics.items(), key=lambda x: sort_key(x[0]))}
            for cfg, metrics in cfgs.items()}
    # bytes per conntrack entry: the slab growth plus the hash table
    for impl in ("wirebox", "nftables"):
        spe = median(res, "mem", impl, "slab_per_entry")
        n = median(res, "mem", impl, "entries")
        h = median(res, "mem", impl, "hash_bytes")
        if spe and n and h:
            res["memory"][impl] = {"entries": int(n), "slab": spe,
                                   "hash": round(h / n, 1),
                                   "total": round(spe + h / n, 1)}
    all_ratios(res)
    return res


# Markdown ----------------------------------------------------------------

def spread(f, unit=""):
    return f"{human(f['min'], unit)} .. {human(f['max'], unit)}"


NIC_IRQ = ("udp64", "rx_irqs_per_pkt", "rx_pkts_per_poll", "tx_irqs_per_pkt",
           "udp64_rx_missed")


def md_pair(res, sec):
    out = ["| workload | config | median | spread (min..max) | rounds |",
           "|---|---|---:|---|---:|"]
    for w, (name, unit) in WORKLOADS.items():
        for cfg, metrics in res["figures"][sec].items():
            f = metrics.get(w)
            if f:
                out.append(f"| {name} | {cfg} | {human(f['median'], unit)} "
                           f"| {spread(f, unit)} | {len(f['rounds'])} |")
    other = [(cfg, m, f) for cfg, metrics in res["figures"][sec].items()
             for m, f in metrics.items()
             if m not in WORKLOADS and m not in NIC_IRQ]
    if other:
        out += ["", "| config | counter (per run) | median | spread |",
                "|---|---|---:|---|"]
        out += [f"| {cfg} | {m} | {human(f['median'], '')} | {spread(f)} |"
                for cfg, m, f in other]
    return out


def md_nic(res):
    out = md_pair(res, "nic")
    out += ["", "Interrupts and polls over the 64-byte UDP run (bb receives, "
            "ba sends; ethtool -S irqs, polls):", "",
            "| config | coalescing | 64-byte UDP | rx irqs/pkt | "
            "rx pkts/poll | tx irqs/pkt | rx_missed |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for cfg, metrics in res["figures"]["nic"].items():
        if not cfg.startswith("wbnic"):
            continue
        cols = []
        for m in NIC_IRQ:
            f = metrics.get(m)
            unit = "pkt/s" if m == "udp64" else ""
            cols.append(f"{human(f['median'], unit)} ({spread(f, unit)})"
                        if f else "n/a")
        out.append(f"| {cfg} | {COAL.get(cfg, '')} | " + " | ".join(cols)
                   + " |")
    return out


def md_nf(res):
    none = median(res, "nf", "none", "pps")
    out = ["| config | rules | shape | pkt/s | spread (min..max) | rounds | "
           "cost over none (us/pkt) |", "|---|---:|---|---:|---|---:|---:|"]
    for cfg, metrics in sorted(res["figures"]["nf"].items(),
                               key=lambda x: (x[0] != "none", sort_key(x[0]))):
        f = metrics.get("pps")
        if not f:
            continue
        rules = cfg.split("-")[-1] if "-" in cfg else "0"
        shape = ("port ranges" if "-range-" in cfg else
                 "one value each" if "-" in cfg else "")
        cost = (f"{1e6 / f['median'] - 1e6 / none:.2f}"
                if none and f["median"] and cfg != "none" else "")
        out.append(f"| {cfg} | {rules} | {shape} | {human(f['median'], '')} | "
                   f"{spread(f)} | {len(f['rounds'])} | {cost} |")
    return out


def md_nfct(res):
    out = ["| table | entries wanted | entries reached | fill (s) | "
           "Slab growth/entry (B) | pkt/s (16 flows) | spread (min..max) |",
           "|---|---:|---:|---:|---:|---:|---|"]
    for impl in ("wirebox", "nftables"):
        for n in levels(res, impl):
            got = median(res, "nfct", impl, f"entries-{n}")
            secs = median(res, "nfct", impl, f"fill_secs-{n}")
            slab = median(res, "nfct", impl, f"slab_kb-{n}")
            per = (f"{slab * 1024 / got:.0f}" if slab is not None and got
                   else "n/a")
            f = fig(res, "nfct", impl, f"pps-{n}")
            out.append(f"| {impl} | {n} | {got if got is not None else 'n/a'}"
                       f" | {secs if secs is not None else 'n/a'} | {per} | "
                       f"{human(f['median'], '') if f else 'n/a'} | "
                       f"{spread(f) if f else 'n/a'} |")
    return out


def md_mem(res):
    out = []
    figs = res["figures"]["mem"]
    if "wirebox_ct" in figs or "nf_conntrack" in figs:
        out += ["| conntrack entry | object_size (B) | slab_size (B) |",
                "|---|---:|---:|"]
        for c in ("wirebox_ct", "nf_conntrack"):
            out.append(f"| {c} | {human(median(res, 'mem', c, 'object_size'), '')} "
                       f"| {human(median(res, 'mem', c, 'slab_size'), '')} |")
        out.append("")
    if res["memory"]:
        out += ["| table | entries | Slab growth/entry (B) | spread | "
                "its cache/entry (B) | hash/entry (B) | total/entry (B) |",
                "|---|---:|---:|---|---:|---:|---:|"]
        for impl, m in res["memory"].items():
            f = fig(res, "mem", impl, "slab_per_entry")
            c = median(res, "mem", impl, "cache_per_entry")
            out.append(f"| {impl} | {m['entries']} | {m['slab']} | "
                       f"{spread(f)} | {human(c, '')} | {m['hash']} | "
                       f"{m['total']} |")
        out.append("")
    nic = [k for k in ("veth", "wbnic") if k in figs]
    if nic:
        out += ["| device (per device, pairs up) | used memory growth (B) | "
                "Slab growth (B) | Percpu growth (B) |", "|---|---:|---:|---:|"]
        for k in nic:
            cols = []
            for m in ("used_per_dev", "slab_per_dev", "percpu_per_dev"):
                f = figs[k].get(m)
                cols.append(f"{human(f['median'], 'B')} ({spread(f, 'B')})"
                            if f else "n/a")
            out.append(f"| {k} | " + " | ".join(cols) + " |")
    return out


def md_ratios(res):
    out = ["| ratio (median/median) | value | per-round spread | target | |",
           "|---|---:|---|---|---|"]
    for r in res["ratios"]:
        sp = r.get("spread")
        tgt = r.get("target", "")
        if r.get("note"):
            tgt += f" ({r['note']})"
        out.append(f"| {r['name']} | {r['value']:.3f} | "
                   f"{f'{sp[0]:.3f} .. {sp[1]:.3f}' if sp else ''} | "
                   f"{tgt} | {r.get('status', '')} |")
    return out


def md_kernel(res):
    out = [f"## {res['kernel']}", ""]
    if res["times"]:
        out += ["Section times: " + ", ".join(
            f"{s} {t} s" for s, t in res["times"].items()), ""]
    render = {"pair": lambda r: md_pair(r, "pair"), "nic": md_nic,
              "nf": md_nf, "nfct": md_nfct, "mem": md_mem}
    for sec, title in SECTIONS.items():
        if sec in res["figures"]:
            out += [f"### {title}", ""] + render[sec](res) + [""]
    if res["ratios"]:
        out += ["### ratios and targets", ""] + md_ratios(res) + [""]
    return out


def md_summary(all_res):
    names = []
    for res in all_res:
        for r in res["ratios"]:
            if r["name"] not in names:
                names.append(r["name"])
    if not names:
        return []
    out = ["## summary", "",
           "| ratio | target | " + " | ".join(r["kernel"] for r in all_res)
           + " |", "|---|---|" + "---:|" * len(all_res)]
    for name in names:
        cells, tgt = [], ""
        for res in all_res:
            r = next((x for x in res["ratios"] if x["name"] == name), None)
            if not r:
                cells.append("n/a")
                continue
            tgt = r.get("target", tgt)
            cells.append(f"{r['value']:.3f}"
                         + (f" {r['status']}" if "status" in r else ""))
        out.append(f"| {name} | {tgt} | " + " | ".join(cells) + " |")
    return out + [""]


def guest(outdir, kver):
    res = summarise(parse_raw(f"{outdir}/raw.tsv"), kver)
    with open(f"{outdir}/results.json", "w") as f:
        json.dump(res, f, indent=1)
    md = "\n".join(HEADER + md_kernel(res))
    with open(f"{outdir}/results.md", "w") as f:
        f.write(md)
    print(md)


def host(out, kvers):
    all_res, body = [], []
    for kver in kvers:
        try:
            with open(f"{out}/{kver}/bench/results.json") as f:
                res = json.load(f)
        except (OSError, ValueError):
            body += [f"## {kver}", "", "no results (the VM run failed: see "
                     f"{out}/{kver}/console.log)", ""]
            continue
        all_res.append(res)
        body += md_kernel(res)
    tree = os.environ.get("WB_BENCH_COMMIT")
    md = (HEADER + ([f"Tree: {tree} when the run began; the build ids of "
                     "the modules each boot measured are in KVER/bench.log "
                     "(the build tree may have changed meanwhile).", ""]
                    if tree else []) + md_summary(all_res) + body)
    with open(f"{out}/results.json", "w") as f:
        json.dump(all_res, f, indent=1)
    with open(f"{out}/results.md", "w") as f:
        f.write("\n".join(md))
    # gnuplot-friendly: one row per kernel and ratio that has a target:
    # label, median, spread min and max, target
    with open(f"{out}/ratios.dat", "w") as f:
        for res in all_res:
            series = re.match(r"\d+\.\d+", res["kernel"])
            series = series.group(0) if series else res["kernel"]
            for r in res["ratios"]:
                t = re.search(r"[\d.]+", r.get("target", ""))
                if not t or r["value"] is None:
                    continue
                lo, hi = r.get("spread") or (r["value"], r["value"])
                f.write(f'"{series} {r["name"]}" {r["value"]} {lo} {hi} '
                        f'{t.group(0)}\n')
    print("\n".join(md))
    return 0 if len(all_res) == len(kvers) else 1


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "guest":
        guest(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "host":
        sys.exit(host(sys.argv[2], sys.argv[3:]))
    else:
        sys.exit(__doc__)

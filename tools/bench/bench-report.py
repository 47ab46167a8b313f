#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise wirebox benchmark figures.

  bench-report.py guest DIR KVER       DIR/raw.tsv -> DIR/results.{json,md}
  bench-report.py host OUT KVER...     OUT/KVER/bench/results.json of each
                                       kernel -> OUT/results.{json,md}

Per configuration and workload: median and spread (min..max) over the
rounds; per comparison: the ratio of the medians (wirebox / kernel).
"""
import json
import statistics
import sys

WORKLOADS = {
    "udp64": ("64-byte UDP", "pkt/s"),
    "tcp": ("TCP bulk", "bit/s"),
}
# (wirebox config, in-kernel config it is measured against)
COMPARISONS = [
    ("wbpair-xmit", "veth"),
    ("wbpair-napi", "veth-napi"),
    ("wbpair-napi", "veth-gro"),
]
CACHES = ("wirebox_ct", "nf_conntrack")


def human(v, unit):
    for div, pre in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if v >= div:
            return f"{v / div:.2f} {pre}{unit}"
    return f"{v:.0f} {unit}"


def parse_raw(path):
    figures, mem = {}, {}
    with open(path) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "mem":
                if len(cols) == 4 and cols[3]:
                    mem.setdefault(cols[1], {})[cols[2]] = int(cols[3])
                continue
            if len(cols) != 4 or not cols[3]:
                continue
            _, cfg, work, val = cols
            figures.setdefault(work, {}).setdefault(cfg, []).append(int(val))
    return figures, mem


def summarise(figures, mem, kver):
    res = {"kernel": kver, "workloads": {}, "ratios": {}, "memory": {}}
    for work, cfgs in figures.items():
        res["workloads"][work] = {
            cfg: {"values": v, "median": statistics.median(v),
                  "min": min(v), "max": max(v)}
            for cfg, v in cfgs.items()}
    for work, cfgs in res["workloads"].items():
        for wb, k in COMPARISONS:
            if wb in cfgs and k in cfgs and cfgs[k]["median"]:
                res["ratios"].setdefault(work, {})[f"{wb}/{k}"] = round(
                    cfgs[wb]["median"] / cfgs[k]["median"], 3)
    res["memory"] = mem
    wb, k = (mem.get(c, {}) for c in CACHES)
    for field in ("object_size", "slab_size"):
        if wb.get(field) and k.get(field):
            res["memory"][f"ratio_{field}"] = round(wb[field] / k[field], 3)
    return res


def md_kernel(res):
    out = [f"### {res['kernel']}", "",
           "| workload | config | median | spread (min..max) | rounds |",
           "|---|---|---:|---|---:|"]
    for work, cfgs in res["workloads"].items():
        name, unit = WORKLOADS.get(work, (work, ""))
        for cfg, s in cfgs.items():
            spread = f"{human(s['min'], unit)} .. {human(s['max'], unit)}"
            out.append(f"| {name} | {cfg} | {human(s['median'], unit)} "
                       f"| {spread} | {len(s['values'])} |")
    out += ["", "| workload | ratio (median/median) | value |", "|---|---|---:|"]
    for work, ratios in res["ratios"].items():
        for pair, r in ratios.items():
            out.append(f"| {WORKLOADS.get(work, (work,))[0]} | {pair} | {r:.3f} |")
    mem = res["memory"]
    if any(c in mem for c in CACHES):
        out += ["", "| conntrack entry | object_size (B) | slab_size (B) |",
                "|---|---:|---:|"]
        for c in CACHES:
            m = mem.get(c, {})
            out.append(f"| {c} | {m.get('object_size', 'n/a')} "
                       f"| {m.get('slab_size', 'n/a')} |")
        out.append(f"| ratio wirebox_ct/nf_conntrack "
                   f"| {mem.get('ratio_object_size', 'n/a')} "
                   f"| {mem.get('ratio_slab_size', 'n/a')} |")
    return out + [""]


HEADER = ["# wirebox benchmarks", "",
          "Each figure is measured in one VM boot side by side with the "
          "in-kernel equivalent, A/B interleaved; ratios are wirebox/kernel "
          "(> 1: wirebox faster, or for memory: larger). Under TCG absolute "
          "figures mean little; compare the ratios.", ""]


def guest(outdir, kver):
    figures, mem = parse_raw(f"{outdir}/raw.tsv")
    res = summarise(figures, mem, kver)
    with open(f"{outdir}/results.json", "w") as f:
        json.dump(res, f, indent=1)
    md = "\n".join(HEADER + md_kernel(res))
    with open(f"{outdir}/results.md", "w") as f:
        f.write(md)
    print(md)


def host(out, kvers):
    all_res, md = [], list(HEADER)
    for kver in kvers:
        try:
            with open(f"{out}/{kver}/bench/results.json") as f:
                res = json.load(f)
        except (OSError, ValueError):
            md += [f"### {kver}", "", "no results (the VM run failed: see "
                   f"{out}/{kver}/console.log)", ""]
            continue
        all_res.append(res)
        md += md_kernel(res)
    with open(f"{out}/results.json", "w") as f:
        json.dump(all_res, f, indent=1)
    with open(f"{out}/results.md", "w") as f:
        f.write("\n".join(md))
    # gnuplot-friendly: one row per kernel and ratio
    with open(f"{out}/ratios.dat", "w") as f:
        for res in all_res:
            for work, ratios in res["ratios"].items():
                for pair, r in ratios.items():
                    f.write(f'"{res["kernel"]} {work} {pair}" {r}\n')
    print("\n".join(md))
    return 0 if len(all_res) == len(kvers) else 1


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "guest":
        guest(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "host":
        sys.exit(host(sys.argv[2], sys.argv[3:]))
    else:
        sys.exit(__doc__)

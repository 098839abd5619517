#!/usr/bin/env python3
"""Reads a keep-alive sweep and prints and plots the trade-off of "Serverless in the Wild".

    $(scripts/python.sh) scripts/keepalive-study.py SWEEP_DIR [-o OUT_DIR]
        [--invocations FILE [FILE...]]... [--baseline-ttl MINUTES]

SWEEP_DIR is what `edgesim sweep` wrote (docs/sweeps.md): runs.csv and, per run,
runs/<config>/rep-<k>/functions.csv and summary.json. For every configuration
(a scenario and its keep-alive policy, read from each run's summary.json) it
computes, per replication:

  p75 app cold %   the 75th percentile across apps of the app's cold-start
                   percentage (100 x cold starts / starts of the app; apps from
                   functions.csv's `app` column, a function without one is its
                   own app; an app of one function takes its cold_start_pct, an
                   app of several adds cold starts and starts, a function's
                   starts being cold_starts / cold_start_rate, or arrivals -
                   rejected when it had no cold start)
  wasted (x 10m)   summary.json keepalive.wasted_mb_s divided by that of the
                   fixed 10-minute policy (--baseline-ttl) of the same scenario
                   and seed
  cold %           all cold starts / all starts (summary.json keepalive)

and prints their mean and 95% confidence interval over the replications
(Student's t), one table per scenario. It writes into OUT_DIR (default
SWEEP_DIR/keepalive-study/): keepalive_study.csv (the table) and
keepalive_tradeoff.png and .svg (x: normalised wasted memory time, y: p75 app
cold-start %, fixed TTLs as a labelled line, hybrid as a star; one panel per
scenario).

With --invocations (repeatable; each occurrence one trace, its files the days
in order), it also prints the workload's shape from Azure 2019 invocations
files: the share of apps (HashOwner, HashApp) invoked at most once per hour,
and at most once per minute, on average over the file's minutes (apps never
invoked are left out, as the replay drops them). The paper reports 45% and 81%
for the whole Azure workload.

Needs Python 3 with matplotlib and numpy (Debian's python3-matplotlib,
python3-numpy). Exit codes: 0 done, 1 matplotlib/numpy missing or a write
failed, 2 a missing or malformed directory, file or column (one line).
"""
import argparse
import csv
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from edgesim_python import need_matplotlib, save_figure, write_whole  # noqa: E402
PROG = "keepalive-study.py"

# Student's t 0.975 quantiles for 1..30 degrees of freedom; 1.96 beyond.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


class Bad(Exception):
    """A problem with the input: printed as one line, exit 2."""


def _need_matplotlib():
    need_matplotlib(__file__, "$(scripts/python.sh) scripts/keepalive-study.py SWEEP_DIR")


def read_csv(path, need):
    """Rows of a CSV file as dicts; Bad when it or one of the columns is missing."""
    try:
        with open(path, newline="") as f:
            r = csv.DictReader(f)
            cols = r.fieldnames or []
            for c in need:
                if c not in cols:
                    raise Bad("%s: expected a column named %s, found none" % (path, c))
            return list(r)
    except OSError as e:
        raise Bad("%s: cannot read: %s" % (path, e.strerror))


def number(row, col, path):
    try:
        v = float(row[col])
    except (TypeError, ValueError):
        raise Bad("%s: expected a number in column %s, found %r" % (path, col, row[col]))
    if not math.isfinite(v):
        raise Bad("%s: expected a finite number in column %s, found %r" % (path, col, row[col]))
    return v


def read_summary(path):
    try:
        with open(path) as f:
            s = json.load(f)
    except OSError as e:
        raise Bad("%s: cannot read: %s" % (path, e.strerror))
    except ValueError as e:
        raise Bad("%s: expected JSON, found an error: %s" % (path, e))
    k = s.get("keepalive") if isinstance(s, dict) else None
    if not isinstance(k, dict) or "wasted_mb_s" not in k or "policy" not in k:
        raise Bad("%s: expected a keepalive section with policy and wasted_mb_s, found none"
                  % path)
    return s


def policy_label(k):
    """('fixed', ttl in minutes) -> 'fixed 10m'; other policies by name."""
    if k["policy"] == "fixed":
        m = k.get("ttl_s", 0) / 60.0
        return "fixed %sm" % (int(m) if m == int(m) else round(m, 2))
    return k["policy"]


def app_cold_pcts(path):
    """Per app: 100 x cold starts / starts, from a run's functions.csv."""
    rows = read_csv(path, ["function", "arrivals", "rejected", "cold_starts", "cold_start_rate",
                           "cold_start_pct", "app"])
    apps = {}
    for r in rows:
        cold = number(r, "cold_starts", path)
        rate = number(r, "cold_start_rate", path)
        starts = cold / rate if cold > 0 and rate > 0 else \
            number(r, "arrivals", path) - number(r, "rejected", path)
        a = apps.setdefault(r["app"] or "fn:" + r["function"], [0, 0.0, 0.0, 0.0])
        a[0] += 1
        a[1] += cold
        a[2] += starts
        a[3] = number(r, "cold_start_pct", path)  # used when the app has one function
    out = []
    for n, cold, starts, pct in apps.values():
        if n == 1:
            out.append(pct)
        elif starts > 0:
            out.append(100.0 * cold / starts)
    return out


def mean_ci(xs):
    """Mean and 95% CI half-width (None with fewer than 2 values)."""
    n = len(xs)
    m = sum(xs) / n
    if n < 2:
        return m, None
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    t = T975[n - 2] if n - 1 <= len(T975) else 1.96
    return m, t * sd / math.sqrt(n)


def load_sweep(d, baseline_ttl_s):
    import numpy as np
    runs_csv = os.path.join(d, "runs.csv")
    if not os.path.isdir(d):
        raise Bad("%s: expected a sweep directory (written by edgesim sweep), found none" % d)
    rows = read_csv(runs_csv, ["scenario", "config", "replication", "seed"])
    if not rows:
        raise Bad("%s: expected at least one run, found none" % runs_csv)
    runs = []
    for r in rows:
        rd = os.path.join(d, "runs", r["config"], "rep-%s" % r["replication"])
        s = read_summary(os.path.join(rd, "summary.json"))
        k = s["keepalive"]
        pcts = app_cold_pcts(os.path.join(rd, "functions.csv"))
        runs.append({
            "scenario": s.get("scenario") or r["scenario"], "config": r["config"],
            "seed": r["seed"], "policy": policy_label(k),
            "fixed_ttl_s": k.get("ttl_s") if k["policy"] == "fixed" else None,
            "wasted": float(k["wasted_mb_s"]), "cold_pct": float(k.get("cold_start_pct") or 0),
            "apps": len(pcts), "p75": float(np.percentile(pcts, 75)) if pcts else float("nan"),
        })
    base = {(x["scenario"], x["seed"]): x["wasted"] for x in runs
            if x["fixed_ttl_s"] is not None and abs(x["fixed_ttl_s"] - baseline_ttl_s) < 1e-9}
    for x in runs:
        b = base.get((x["scenario"], x["seed"]))
        if b is None:
            raise Bad("%s: expected a run of the fixed %g-minute policy for scenario %s seed %s "
                      "to normalise to, found none (see --baseline-ttl)"
                      % (runs_csv, baseline_ttl_s / 60, x["scenario"], x["seed"]))
        x["norm"] = x["wasted"] / b if b > 0 else float("nan")
    return runs


def summarise(runs):
    """One row per (scenario, config), in the order of runs.csv."""
    order, groups = [], {}
    for x in runs:
        key = (x["scenario"], x["config"])
        if key not in groups:
            order.append(key)
            groups[key] = []
        groups[key].append(x)
    table = []
    for key in order:
        g = groups[key]
        row = {"scenario": key[0], "config": key[1], "policy": g[0]["policy"],
               "fixed_ttl_s": g[0]["fixed_ttl_s"], "n": len(g), "apps": g[0]["apps"]}
        for m in ("p75", "norm", "cold_pct", "wasted"):
            row[m], row[m + "_ci"] = mean_ci([x[m] for x in g])
        table.append(row)
    return table


def fmt(m, ci, digits):
    s = "%.*f" % (digits, m)
    return s + (" ± %.*f" % (digits, ci) if ci is not None else "")


def print_table(table, baseline_min):
    scen = None
    for r in table:
        if r["scenario"] != scen:
            scen = r["scenario"]
            print("\n%s (%d apps)" % (scen, r["apps"]))
            print("%-12s %3s  %-18s %-20s %-16s %s" % (
                "policy", "n", "p75 app cold %", "wasted x fixed %gm" % baseline_min,
                "cold % (all)", "wasted GB·h"))
        print("%-12s %3d  %-18s %-20s %-16s %s" % (
            r["policy"], r["n"], fmt(r["p75"], r["p75_ci"], 2), fmt(r["norm"], r["norm_ci"], 3),
            fmt(r["cold_pct"], r["cold_pct_ci"], 3), "%.1f" % (r["wasted"] / 1024 / 3600)))


def write_csv(table, path):
    cols = ["scenario", "config", "policy", "n", "apps", "p75", "p75_ci", "norm", "norm_ci",
            "cold_pct", "cold_pct_ci", "wasted", "wasted_ci"]
    names = {"p75": "p75_app_cold_pct", "p75_ci": "p75_app_cold_pct_ci95",
             "norm": "wasted_norm", "norm_ci": "wasted_norm_ci95", "cold_pct": "cold_pct",
             "cold_pct_ci": "cold_pct_ci95", "wasted": "wasted_mb_s",
             "wasted_ci": "wasted_mb_s_ci95"}
    with write_whole(path, newline="") as f:
        w = csv.writer(f)
        w.writerow([names.get(c, c) for c in cols])
        for r in table:
            w.writerow(["" if r[c] is None else ("%.17g" % r[c] if isinstance(r[c], float) else r[c])
                        for c in cols])


def plot(table, out, baseline_min):
    import matplotlib.pyplot as plt
    scens = []
    for r in table:
        if r["scenario"] not in scens:
            scens.append(r["scenario"])
    fig, axes = plt.subplots(1, len(scens), figsize=(5.2 * len(scens) + 0.6, 4.6), squeeze=False)
    for ax, sc in zip(axes[0], scens):
        rows = [r for r in table if r["scenario"] == sc]
        fixed = sorted((r for r in rows if r["fixed_ttl_s"] is not None),
                       key=lambda r: r["fixed_ttl_s"])
        if fixed:
            ax.errorbar([r["norm"] for r in fixed], [r["p75"] for r in fixed],
                        xerr=[r["norm_ci"] or 0 for r in fixed],
                        yerr=[r["p75_ci"] or 0 for r in fixed],
                        color="tab:blue", marker="o", ms=5, lw=1.6, capsize=2,
                        label="fixed keep-alive TTL")
            for i, r in enumerate(fixed):  # alternate sides: neighbours can be close
                ax.annotate(r["policy"].split()[1], (r["norm"], r["p75"]), textcoords="offset points",
                            xytext=(4, 5) if i % 2 == 0 else (-4, -12), fontsize=8,
                            ha="left" if i % 2 == 0 else "right", color="tab:blue")
        for r in rows:
            if r["fixed_ttl_s"] is None:
                hy = r["policy"] == "hybrid"
                ax.errorbar([r["norm"]], [r["p75"]], xerr=[r["norm_ci"] or 0],
                            yerr=[r["p75_ci"] or 0], color="tab:red" if hy else "tab:gray",
                            marker="*" if hy else "s", ms=14 if hy else 7, capsize=2, ls="none",
                            label="hybrid histogram" if hy else r["policy"])
        ax.axvline(1.0, color="0.75", lw=0.8, ls=":")
        ax.set_title("%s (%d apps)" % (sc, rows[0]["apps"]), fontsize=10)
        ax.set_xlabel("wasted memory time (× fixed %g-minute policy)" % baseline_min)
        ax.set_ylabel("app cold-start %, 75th percentile across apps")
        ax.grid(True, alpha=0.3)
        top = max(r["p75"] + (r["p75_ci"] or 0) for r in rows)
        ax.set_ylim(0, top * 1.15 if top > 0 else 1)
        ax.set_xlim(0, max(r["norm"] + (r["norm_ci"] or 0) for r in rows) * 1.1)
        ax.text(0.02, 0.03, "better: lower left", transform=ax.transAxes, fontsize=8,
                color="0.4")
        ax.legend(fontsize=8, loc="best")
    n = table[0]["n"]
    fig.suptitle("Keep-alive policies: cold starts against wasted memory\n(fixed TTLs labelled "
                 "in minutes; mean and 95%% CI over %d replication%s)"
                 % (n, "" if n == 1 else "s"), fontsize=11)
    fig.tight_layout()
    paths = []
    for ext in ("png", "svg"):
        p = os.path.join(out, "keepalive_tradeoff." + ext)
        save_figure(fig, p, dpi=100)
        paths.append(p)
    plt.close(fig)
    return paths


def shape(files, window):
    """Apps' average invocations per minute over the files (days in order)."""
    apps, minutes = {}, 0
    for path in files:
        try:
            f = open(path, newline="")
        except OSError as e:
            raise Bad("%s: cannot read: %s" % (path, e.strerror))
        with f:
            r = csv.reader(f)
            head = next(r, None)
            if not head or head[:4] != ["HashOwner", "HashApp", "HashFunction", "Trigger"] \
                    or len(head) < 5:
                raise Bad("%s:1: expected the header HashOwner,HashApp,HashFunction,Trigger,1,...,"
                          "found %s" % (path, ",".join((head or [])[:5]) or "nothing"))
            m = len(head) - 4
            lo, hi = (0, m) if window is None else (max(0, window[0] - minutes),
                                                     min(m, window[1] - minutes))
            for line, row in enumerate(r, 2):
                if not row:
                    continue
                if len(row) != len(head):
                    raise Bad("%s:%d: expected %d fields, found %d" % (path, line, len(head),
                                                                      len(row)))
                if hi > lo:
                    try:
                        n = sum(int(x) for x in row[4 + lo:4 + hi])
                    except ValueError:
                        raise Bad("%s:%d: expected whole counts, found a non-number" % (path, line))
                    key = (row[0], row[1])
                    apps[key] = apps.get(key, 0) + n
            minutes += max(0, hi - lo) if window is not None else m
    if window is not None:
        minutes = window[1] - window[0]
    used = [n for n in apps.values() if n > 0]
    if not used or minutes <= 0:
        raise Bad("%s: expected apps invoked in the window, found none" % files[0])
    per_min = [n / minutes for n in used]
    hour = sum(1 for x in per_min if x <= 1 / 60.0) / len(used)
    minute = sum(1 for x in per_min if x <= 1.0) / len(used)
    return len(used), minutes, hour, minute


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    ap.add_argument("sweep_dir")
    ap.add_argument("-o", "--out", help="output folder (default SWEEP_DIR/keepalive-study)")
    ap.add_argument("--invocations", nargs="+", action="append", metavar="FILE",
                    help="Azure 2019 invocations file(s) of one trace (repeat per trace)")
    ap.add_argument("--window", nargs=2, type=int, metavar=("FROM", "TO"),
                    help="with --invocations: minutes [FROM, TO) of the trace (default all)")
    ap.add_argument("--baseline-ttl", type=float, default=10, metavar="MINUTES",
                    help="the fixed TTL wasted memory is normalised to (default 10)")
    a = ap.parse_args()
    if a.window and not (0 <= a.window[0] < a.window[1]):
        ap.error("--window: expected 0 <= FROM < TO")
    try:
        if a.invocations:
            print("Workload shape (apps invoked in the window, average rate over it; "
                  "the paper: 45% and 81% for all of Azure):")
            for files in a.invocations:
                n, minutes, hour, minute = shape(files, a.window)
                print("  %s: %d apps over %d minutes: %.1f%% invoked at most once per hour, "
                      "%.1f%% at most once per minute" % (
                          os.path.relpath(files[0]), n, minutes, 100 * hour, 100 * minute))
        _need_matplotlib()
        runs = load_sweep(a.sweep_dir, a.baseline_ttl * 60)
    except Bad as e:
        sys.stderr.write("%s: %s\n" % (PROG, e))
        return 2
    table = summarise(runs)
    print_table(table, a.baseline_ttl)
    out = a.out or os.path.join(a.sweep_dir, "keepalive-study")
    try:
        os.makedirs(out, exist_ok=True)
        write_csv(table, os.path.join(out, "keepalive_study.csv"))
        paths = plot(table, out, a.baseline_ttl)
    except OSError as e:
        sys.stderr.write("%s: %s: cannot write: %s\n" % (PROG, out, e.strerror))
        return 1
    print("\nwrote %s, %s and keepalive_study.csv" % tuple(paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())

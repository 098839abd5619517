#!/usr/bin/env python3
"""Overlays edgesim runs so that two policies can be compared by eye.

    $(scripts/python.sh) scripts/compare.py RUN_DIR... [-o OUT_DIR] [--format png|svg|both]

Reads each run directory written by `edgesim run` (docs/outputs.md) and
writes into OUT_DIR (default: compare/):

  compare_latency_cdf.PNG   latency CDF of ok invocations of every run (latency.csv),
                            log x axis, each run's p50 and p99 marked
  compare_summary.PNG       p50 and p99 latency and the cold-start rate side by side
                            as bars (summary.json)
  compare_status.PNG        nodes in each status other than ONLINE over time, one line
                            per run (health.csv, nodes.csv)
  compare_summary.csv       the numbers behind the bars, one row per run

Runs are labelled by their directory's name; when two share a name, by
scenario, scheduler and seed from summary.json. Needs Python 3 with
matplotlib and numpy (Debian's python3-matplotlib, python3-numpy), nothing
else. Started with an interpreter that lacks them, it starts itself again
with the one scripts/python.sh finds, or says what to install.
Exit codes: 0 done, 1 matplotlib/numpy missing or a write failed, 2 a run
directory or one of its files missing or malformed (one line each).
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


def _need_matplotlib():
    need_matplotlib(__file__, "$(scripts/python.sh) scripts/compare.py RUN_DIR...")


STATUSES = ["offline", "syncing", "degraded", "maintenance"]  # all but online
STATUS_COLORS = {"offline": "#d62728", "syncing": "#1f77b4", "degraded": "#f2a900",
                 "maintenance": "#7f7f7f"}
# Okabe-Ito, as the gnuplot plots: told apart by colour-blind readers too
RUN_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933",
              "#882255", "#000000"]


def run_style(i):
    """Colour, line width and dashes of run i: later runs thinner and dashed,
    so that runs that coincide still show one above the other."""
    dashes = ["-", "--", "-.", ":"]
    return dict(color=RUN_COLORS[i % len(RUN_COLORS)], lw=max(1.3, 4.2 - 1.1 * i),
                ls=dashes[i % len(dashes)])


class BadRun(Exception):
    """A run directory or one of its files is missing or malformed."""


def read_csv(path, columns):
    """Yields (line number, {column: text}) for the named columns."""
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        raise BadRun("%s: %s" % (path, e.strerror or e))
    with f:
        r = csv.reader(f)
        header = next(r, None)
        if not header:
            raise BadRun("%s:1: expected a header line naming the columns" % path)
        idx = {}
        for c in columns:
            if c not in header:
                raise BadRun('%s:1: expected a column "%s" in the header' % (path, c))
            idx[c] = header.index(c)
        for n, row in enumerate(r, start=2):
            if not row:
                continue
            if len(row) != len(header):
                raise BadRun("%s:%d: expected %d fields as in the header, found %d"
                             % (path, n, len(header), len(row)))
            yield n, {c: row[i] for c, i in idx.items()}


def number(path, n, col, text):
    try:
        v = float(text)
    except ValueError:
        v = float("nan")
    if not math.isfinite(v):
        raise BadRun('%s:%d: column "%s": expected a number, found "%s"' % (path, n, col, text[:40]))
    return v


class Run:
    def __init__(self, d):
        self.dir = d
        if not os.path.isdir(d):
            raise BadRun("%s: no such run directory" % d)
        p = os.path.join(d, "summary.json")
        try:
            with open(p, encoding="utf-8") as f:
                self.summary = json.load(f)
        except OSError as e:
            raise BadRun("%s: %s" % (p, e.strerror or e))
        except ValueError as e:
            raise BadRun("%s: expected a JSON object, found invalid JSON (%s)" % (p, e))
        if not isinstance(self.summary, dict):
            raise BadRun("%s: expected a JSON object" % p)
        self.name = os.path.basename(os.path.normpath(os.path.abspath(d)))
        self.duration = self.get("duration_s") or 0.0
        self.read_latency()
        self.read_status()

    def get(self, dotted):
        o = self.summary
        for k in dotted.split("."):
            o = o.get(k) if isinstance(o, dict) else None
        return o if isinstance(o, (int, float)) and not isinstance(o, bool) else None

    def read_latency(self):
        p = os.path.join(self.dir, "latency.csv")
        xs, ys = [], []
        for n, row in read_csv(p, ["scope", "bucket_lo_s", "bucket_hi_s", "cdf"]):
            if row["scope"] != "all":
                continue
            lo = number(p, n, "bucket_lo_s", row["bucket_lo_s"])
            hi = number(p, n, "bucket_hi_s", row["bucket_hi_s"])
            cdf = number(p, n, "cdf", row["cdf"])
            xs += [max(lo, 1e-9), max(hi, 1e-9)]
            ys += [ys[-1] if ys else 0.0, cdf]
        self.cdf_x, self.cdf_y = xs, ys

    def read_status(self):
        p = os.path.join(self.dir, "nodes.csv")
        nodes = [row["node"] for _, row in read_csv(p, ["node"])]
        self.nnodes = len(nodes)
        known = set(nodes)
        p = os.path.join(self.dir, "health.csv")
        rows = []
        for n, row in read_csv(p, ["time_s", "node", "from", "to"]):
            t = number(p, n, "time_s", row["time_s"])
            if row["node"] not in known:
                raise BadRun('%s:%d: column "node": expected a node of nodes.csv, found "%s"'
                             % (p, n, row["node"]))
            for c in ("from", "to"):
                if row[c].lower() not in STATUSES + ["online"]:
                    raise BadRun('%s:%d: column "%s": expected a status, found "%s"'
                                 % (p, n, c, row[c]))
            rows.append((t, row["node"], row["from"].lower(), row["to"].lower()))
        cur = {}
        for t, node, frm, to in rows:  # before its first transition, a node is in its "from"
            cur.setdefault(node, frm)
        counts = {s: 0 for s in STATUSES + ["online"]}
        for node in nodes:
            counts[cur.get(node, "online")] += 1
        self.status_t = [0.0]
        self.status = {s: [counts[s]] for s in STATUSES}
        for t, node, frm, to in rows:
            counts[cur[node]] -= 1
            counts[to] += 1
            cur[node] = to
            self.status_t.append(t)
            for s in STATUSES:
                self.status[s].append(counts[s])
        end = max(self.duration, self.status_t[-1])
        self.status_t.append(end)
        for s in STATUSES:
            self.status[s].append(self.status[s][-1])


def label_runs(runs):
    names = [r.name for r in runs]
    for r in runs:
        if names.count(r.name) > 1:
            parts = [str(r.summary.get(k)) for k in ("scenario", "scheduler") if r.summary.get(k)]
            if r.get("seed") is not None:
                parts.append("seed %d" % r.get("seed"))
            r.label = " / ".join(parts) or r.name
        else:
            r.label = r.name
    labels = [r.label for r in runs]
    for i, r in enumerate(runs):
        if labels.count(r.label) > 1:
            r.label = "%s (%d)" % (r.label, i + 1)


def fmt_latency(s):
    if s is None or not math.isfinite(s):
        return "n/a"
    if s < 1e-3:
        return "%.3g us" % (s * 1e6)
    if s < 1:
        return "%.3g ms" % (s * 1e3)
    return "%.3g s" % s


def time_unit(duration):
    if duration <= 300:
        return 1.0, "s"
    if duration <= 5 * 3600:
        return 60.0, "min"
    if duration <= 72 * 3600:
        return 3600.0, "h"
    return 86400.0, "days"


def plot_cdf(runs, plt, ticker):
    fig, ax = plt.subplots(figsize=(12, 7))
    for i, r in enumerate(runs):
        st = run_style(i)
        color = st["color"]
        p50, p99 = r.get("latency_s.p50"), r.get("latency_s.p99")
        if not r.cdf_x:
            ax.plot([], [], label="%s: no ok invocations" % r.label, **st)
            continue
        ax.plot(r.cdf_x, r.cdf_y, **st,
                label="%s   p50 %s, p99 %s" % (r.label, fmt_latency(p50), fmt_latency(p99)))
        for q, v, m in ((0.5, p50, "o"), (0.99, p99, "^")):
            if v:
                ax.plot([v], [q], m, color=color, ms=7, mec="white", mew=0.8, zorder=5)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_latency(v)))
    ax.set_ylim(0, 1.0)
    ax.set_xlabel("latency (log scale)")
    ax.set_ylabel("fraction of ok invocations at or below")
    ax.set_title("Latency CDF of ok invocations: %d runs (markers: p50 ●, p99 ▲)" % len(runs))
    ax.grid(True, which="major", color="#e4e4e4")
    ax.grid(True, which="minor", color="#f4f4f4")
    ax.legend(loc="lower right", frameon=True)
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    fig.tight_layout()
    return fig


def plot_summary(runs, plt, np):
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 6.5), gridspec_kw={"width_ratios": [3, 2]})
    x = np.arange(len(runs))
    colors = [RUN_COLORS[i % len(RUN_COLORS)] for i in range(len(runs))]
    w = 0.38
    p50 = [(r.get("latency_s.p50") or 0) * 1e3 for r in runs]
    p99 = [(r.get("latency_s.p99") or 0) * 1e3 for r in runs]
    b1 = a1.bar(x - w / 2, p50, w, color=colors, alpha=0.45, edgecolor=colors, label="p50")
    b2 = a1.bar(x + w / 2, p99, w, color=colors, label="p99")
    for bars, vals in ((b1, p50), (b2, p99)):
        for b, v in zip(bars, vals):
            a1.annotate(fmt_latency(v / 1e3), (b.get_x() + b.get_width() / 2, v),
                        ha="center", va="bottom", fontsize=9, xytext=(0, 2),
                        textcoords="offset points")
    a1.set_ylabel("latency of ok invocations (ms)")
    a1.set_title("Latency p50 (light) and p99 (dark)")
    a1.set_ylim(0, max(p99 + p50 + [1e-3]) * 1.15)
    cold = [(r.get("rates.cold_start_rate") or 0) * 100 for r in runs]
    b3 = a2.bar(x, cold, 0.6, color=colors)
    for b, v in zip(b3, cold):
        a2.annotate("%.3g%%" % v, (b.get_x() + b.get_width() / 2, v), ha="center", va="bottom",
                    fontsize=9, xytext=(0, 2), textcoords="offset points")
    a2.set_ylabel("cold starts per started invocation (%)")
    a2.set_title("Cold-start rate")
    a2.set_ylim(0, max(cold + [1e-6]) * 1.18)
    for a in (a1, a2):
        a.set_xticks(x)
        a.set_xticklabels([r.label for r in runs], rotation=20 if len(runs) > 3 else 0,
                          ha="right" if len(runs) > 3 else "center")
        a.grid(True, axis="y", color="#e4e4e4")
        a.set_axisbelow(True)
        for s in ("top", "right"):
            a.spines[s].set_visible(False)
    fig.suptitle("p99 latency and cold-start rate by run", fontsize=13)
    fig.tight_layout()
    return fig


def plot_status(runs, plt):
    shown = [s for s in STATUSES if any(max(r.status[s]) > 0 for r in runs)]
    longest = max(max(r.duration, r.status_t[-1]) for r in runs)
    div, unit = time_unit(longest)
    if not shown:
        fig, ax = plt.subplots(figsize=(12, 4))
        ax.text(0.5, 0.5, "every node ONLINE throughout, in every run", ha="center",
                va="center", fontsize=13, color="#666666", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title("Nodes not ONLINE over time")
        return fig
    fig, axes = plt.subplots(len(shown), 1, figsize=(12, 2.2 + 2.4 * len(shown)), sharex=True,
                             squeeze=False)
    for ax, s in zip(axes[:, 0], shown):
        for i, r in enumerate(runs):
            t = [v / div for v in r.status_t]
            ax.step(t, r.status[s], where="post", label="%s (%d nodes)" % (r.label, r.nnodes),
                    **run_style(i))
        ax.set_ylabel("nodes %s" % s.upper(), color=STATUS_COLORS[s], fontweight="bold")
        ax.set_ylim(0, max(max(r.status[s]) for r in runs) * 1.15 + 0.1)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(True, color="#e4e4e4")
        for sp in ("top", "right"):
            ax.spines[sp].set_visible(False)
    axes[0, 0].legend(loc="upper right", frameon=True)
    axes[0, 0].set_title("Nodes in each status other than ONLINE over time")
    axes[-1, 0].set_xlabel("time (%s)" % unit)
    axes[-1, 0].set_xlim(0, longest / div)
    fig.tight_layout()
    return fig


def write_csv(runs, path):
    cols = ["run", "dir", "scenario", "scheduler", "seed", "latency_p50_s", "latency_p99_s",
            "cold_start_rate", "throughput_per_s", "availability"]
    keys = [None, None, None, None, "seed", "latency_s.p50", "latency_s.p99",
            "rates.cold_start_rate", "rates.throughput_per_s", "health.availability"]
    with write_whole(path, newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in runs:
            row = [r.label, r.dir, r.summary.get("scenario", ""), r.summary.get("scheduler", "")]
            for k in keys[4:]:
                v = r.get(k)
                row.append("" if v is None else repr(v))
            w.writerow(row)


def save(fig, out, name, formats, plt):
    for ext in formats:
        save_figure(fig, os.path.join(out, "%s.%s" % (name, ext)), dpi=100)
    plt.close(fig)


def main(argv):
    ap = argparse.ArgumentParser(
        prog="compare.py",
        description="Overlay edgesim runs: latency CDFs, p99 and cold-start rate, status counts.")
    ap.add_argument("runs", nargs="+", metavar="RUN_DIR", help="run directories of edgesim run")
    ap.add_argument("-o", "--out", default="compare", metavar="OUT_DIR",
                    help="where the plots go (default: compare/)")
    ap.add_argument("--format", choices=["png", "svg", "both"], default="png")
    a = ap.parse_args(argv)
    _need_matplotlib()
    import matplotlib.pyplot as plt
    import matplotlib.ticker as ticker
    import numpy as np
    plt.rcParams.update({"font.size": 11, "axes.titlesize": 13, "svg.fonttype": "none"})
    runs, bad = [], False
    for d in a.runs:
        try:
            runs.append(Run(d))
        except BadRun as e:
            sys.stderr.write("compare.py: %s\n" % e)
            bad = True
    if bad:
        return 2
    label_runs(runs)
    formats = ["png", "svg"] if a.format == "both" else [a.format]
    try:
        os.makedirs(a.out, exist_ok=True)
        save(plot_cdf(runs, plt, ticker), a.out, "compare_latency_cdf", formats, plt)
        save(plot_summary(runs, plt, np), a.out, "compare_summary", formats, plt)
        save(plot_status(runs, plt), a.out, "compare_status", formats, plt)
        write_csv(runs, os.path.join(a.out, "compare_summary.csv"))
    except OSError as e:
        sys.stderr.write("compare.py: %s: %s\n" % (e.filename or a.out, e.strerror or e))
        return 1
    print("compare.py: %d runs -> %s/ (compare_latency_cdf, compare_summary, compare_status; %s)"
          % (len(runs), a.out.rstrip("/"), ", ".join(formats)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

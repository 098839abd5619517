#!/usr/bin/env python3
"""Plots of a run's workflows and autoscaler, beside `edgesim plot`'s:

  RUN/plots/workflow_latency.png   end-to-end latency of each workflow over time
                                   (mean and p95 per sample interval, workflow_series.csv)
  RUN/plots/workflow_steps.png     per step, the mean queueing, cold start, execution and
                                   network time of its invocations, stacked
                                   (workflow_steps.csv)
  RUN/plots/autoscaler.png         per scaled function, desired against ready replicas over
                                   time, and the observed load (autoscaler.csv)

Each is made only when its CSV is in RUN (docs/outputs.md). Usage:
  $(scripts/python.sh) scripts/plot-control.py RUN_DIR [--functions N]
"""
import argparse
import csv
import os
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from edgesim_python import need_matplotlib, save_figure  # noqa: E402

USAGE = "$(scripts/python.sh) scripts/plot-control.py RUN_DIR"


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def workflow_latency(plt, run, out):
    series = OrderedDict()
    for r in rows(os.path.join(run, "workflow_series.csv")):
        series.setdefault(r["workflow"], []).append(r)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for wf, rs in series.items():
        pts = [(float(r["t_end_s"]), float(r["latency_mean_s"]), float(r["latency_p95_s"]))
               for r in rs if int(r["completed"]) > 0]
        if not pts:
            continue
        t, mean, p95 = zip(*pts)
        line, = ax.plot(t, mean, lw=1.6, label="%s mean" % wf)
        ax.plot(t, p95, lw=1.0, ls="--", color=line.get_color(), label="%s p95" % wf)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("end-to-end latency (s)")
    ax.set_title("Workflow latency per sample interval")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    save_figure(fig, out, dpi=110)
    plt.close(fig)


def workflow_steps(plt, run, out):
    rs = rows(os.path.join(run, "workflow_steps.csv"))
    parts = [("queueing_mean_s", "queueing", "#999999"), ("cold_start_mean_s", "cold start", "#D55E00"),
             ("execution_mean_s", "execution", "#0072B2"), ("network_mean_s", "network", "#E69F00")]
    labels = ["%s/%s" % (r["workflow"], r["step"]) for r in rs]
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(rs) + 2), 4.5))
    bottom = [0.0] * len(rs)
    for key, name, color in parts:
        v = [float(r[key]) * 1000 for r in rs]
        ax.bar(range(len(rs)), v, bottom=bottom, color=color, label=name)
        bottom = [b + x for b, x in zip(bottom, v)]
    ax.set_xticks(range(len(rs)))
    ax.set_xticklabels(labels, rotation=40, ha="right", fontsize=8)
    ax.set_ylabel("mean per invocation (ms)")
    ax.set_title("Where each step's time goes")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    save_figure(fig, out, dpi=110)
    plt.close(fig)


def autoscaler(plt, run, out, nfun):
    per = OrderedDict()
    for r in rows(os.path.join(run, "autoscaler.csv")):
        per.setdefault(r["function"], []).append(r)
    # the functions that scaled most, at most nfun of them
    order = sorted(per, key=lambda f: -max(int(r["desired"]) for r in per[f]))[:nfun]
    fig, axes = plt.subplots(len(order), 1, figsize=(10, 2.6 * len(order) + 0.6), squeeze=False)
    for ax, fn in zip(axes[:, 0], order):
        rs = per[fn]
        t = [float(r["t_s"]) for r in rs]
        ax.step(t, [int(r["desired"]) for r in rs], where="post", lw=1.4, label="desired")
        ax.step(t, [int(r["ready"]) for r in rs], where="post", lw=1.4, label="ready")
        ax.step(t, [int(r["ready"]) + int(r["pending"]) for r in rs], where="post", lw=0.8,
                ls=":", label="ready + pending")
        ax2 = ax.twinx()
        ax2.plot(t, [float(r["observed"]) for r in rs], lw=0.6, color="#999999")
        ax2.set_ylabel("observed load", color="#777777", fontsize=8)
        ax.set_ylabel("replicas")
        ax.set_title(fn, fontsize=9)
        ax.legend(loc="upper left", fontsize=8)
        ax.grid(alpha=0.3)
    axes[-1, 0].set_xlabel("time (s)")
    fig.tight_layout()
    save_figure(fig, out, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run", help="a run's output folder")
    ap.add_argument("--functions", type=int, default=4,
                    help="autoscaled functions to draw, those that scaled most (default 4)")
    a = ap.parse_args()
    need_matplotlib(__file__, USAGE)
    import matplotlib.pyplot as plt
    plots = os.path.join(a.run, "plots")
    os.makedirs(plots, exist_ok=True)
    made = []
    if os.path.exists(os.path.join(a.run, "workflow_series.csv")):
        workflow_latency(plt, a.run, os.path.join(plots, "workflow_latency.png"))
        workflow_steps(plt, a.run, os.path.join(plots, "workflow_steps.png"))
        made += ["workflow_latency.png", "workflow_steps.png"]
    if os.path.exists(os.path.join(a.run, "autoscaler.csv")):
        autoscaler(plt, a.run, os.path.join(plots, "autoscaler.png"), max(1, a.functions))
        made.append("autoscaler.png")
    if not made:
        sys.stderr.write("plot-control.py: %s has neither workflow nor autoscaler outputs\n" % a.run)
        return 1
    print("%s/plots: %s" % (a.run, ", ".join(made)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

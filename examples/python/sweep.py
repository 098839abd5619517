#!/usr/bin/python3
"""Sweep one parameter of a scenario from Python, over a few seeds.

    PYTHONPATH=python /usr/bin/python3 examples/python/sweep.py \\
        [--param policies.keepalive_ttl] [--values 10s,1m,10m] [--seeds 1,2,3] \\
        [--set duration=10m] [--plot sweep.png] [SCENARIO]

For every value and seed, edgesim.run() with set={PARAM: value} (exactly
`edgesim run --set PARAM=value --seed S`); prints one row per value: the
mean over the seeds of p99 latency, the cold-start rate and the throughput,
with their spread (min..max). --plot draws p99 against the value with
matplotlib. `edgesim sweep` (docs/sweeps.md) does the same in parallel
with confidence intervals; this is the few-lines version for a notebook.
"""
import argparse

import pandas as pd

import edgesim


def sweep(scenario, param, values, seeds, sets):
    rows = []
    for v in values:
        for seed in seeds:
            r = edgesim.run(scenario, seed=seed, set=dict(sets, **{param: v}))
            s = r.summary
            rows.append({"value": v, "seed": seed, "p99_ms": s["latency_s"]["p99"] * 1e3,
                         "cold_start_rate": s["rates"]["cold_start_rate"],
                         "throughput_per_s": s["rates"]["throughput_per_s"]})
    return pd.DataFrame(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/quickstart.json")
    ap.add_argument("--param", default="policies.keepalive_ttl")
    ap.add_argument("--values", default="10s,1m,10m")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--set", action="append", default=[], help="PATH=VALUE, as edgesim run")
    ap.add_argument("--plot", help="write p99 against the value to this image")
    args = ap.parse_args()
    sets = dict(kv.split("=", 1) for kv in args.set)
    values = args.values.split(",")
    df = sweep(args.scenario, args.param, values, [int(s) for s in args.seeds.split(",")], sets)
    table = df.groupby("value", sort=False).agg(["mean", "min", "max"]).drop(columns="seed")
    with pd.option_context("display.width", 160, "display.max_columns", None,
                           "display.precision", 4):
        print(table)
    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        mean = df.groupby("value", sort=False)["p99_ms"].mean()
        fig, ax = plt.subplots(figsize=(5, 3.5))
        ax.plot(range(len(mean)), mean.values, marker="o")
        ax.set_xticks(range(len(mean)), mean.index)
        ax.set_xlabel(args.param)
        ax.set_ylabel("p99 latency (ms), mean of %d seeds" % df["seed"].nunique())
        fig.tight_layout()
        fig.savefig(args.plot)
        print("wrote", args.plot)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a synthetic day in the Azure Functions 2019 trace format.

Three files into OUT (the names of the published trace, day 01):
  invocations_per_function_md.anon.d01.csv    HashOwner,HashApp,HashFunction,Trigger,1..M
  function_durations_percentiles.anon.d01.csv Average,Count,Minimum,Maximum,percentile_Average_*
  app_memory_percentiles.anon.d01.csv         per app: SampleCount,AverageAllocatedMb,..._pct*

The shape follows what "Serverless in the Wild" reports, not its numbers:
per-function daily rates are heavy-tailed (log-normal, sigma 2.6: most
functions are invoked a few times a day, a few thousands of times a minute),
the day has a diurnal swing (+-30%), timer-triggered functions fire at fixed
minute periods, apps hold 1 to ~10 functions (geometric), durations are
log-normal per function, memory per app is 100-400 MB-ish. About 1% of
functions get no durations row and 1% of apps no memory row, so the defaults
are exercised. Deterministic for a given --seed.

usage: gen-azure2019.py OUT [--functions N] [--minutes M] [--total T] [--seed S]
Defaults: 46000 functions, 1440 minutes, about 20 million invocations.
"""
import argparse
import hashlib
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from edgesim_python import write_whole  # noqa: E402


def hexid(kind, i, seed):
    return hashlib.sha256(f"{kind}:{i}:{seed}".encode()).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--functions", type=int, default=46000)
    ap.add_argument("--minutes", type=int, default=1440)
    ap.add_argument("--total", type=float, default=20e6, help="expected invocations in all")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if not (1 <= a.minutes <= 1440) or a.functions < 1 or a.total <= 0:
        sys.exit("gen-azure2019: --minutes must be 1..1440, --functions and --total positive")
    rng = np.random.default_rng(a.seed)
    os.makedirs(a.out, exist_ok=True)
    n, m = a.functions, a.minutes

    # functions grouped into apps, apps into owners
    fn_app = np.empty(n, dtype=np.int64)
    i = app = 0
    while i < n:
        k = min(int(rng.geometric(0.45)), n - i)
        fn_app[i:i + k] = app
        i += k
        app += 1
    napps = app
    app_owner = rng.integers(0, max(1, napps // 2), size=napps)
    owners = [hexid("owner", o, a.seed) for o in range(max(1, napps // 2))]
    apps = [hexid("app", x, a.seed) for x in range(napps)]
    funcs = [hexid("func", x, a.seed) for x in range(n)]

    # daily rates: log-normal, scaled to the asked total
    rate = rng.lognormal(mean=0.0, sigma=2.6, size=n)
    rate *= a.total / rate.sum()
    trig = rng.choice(["http", "timer", "queue", "event", "storage", "orchestration", "others"],
                      size=n, p=[0.36, 0.29, 0.11, 0.09, 0.05, 0.05, 0.05])
    t = np.arange(m)
    diurnal = 1.0 + 0.3 * np.sin(2 * np.pi * (t / 1440.0 - 0.25))
    diurnal /= diurnal.mean()

    inv_path = os.path.join(a.out, "invocations_per_function_md.anon.d01.csv")
    with write_whole(inv_path) as f:
        f.write("HashOwner,HashApp,HashFunction,Trigger," + ",".join(str(x + 1) for x in range(m)) + "\n")
        block = 2000
        for lo in range(0, n, block):
            hi = min(n, lo + block)
            lam = np.outer(rate[lo:hi] / m, diurnal)
            counts = rng.poisson(lam)
            for j in range(hi - lo):
                g = lo + j
                if trig[g] == "timer":  # fires every p minutes, at least its rate
                    per_min = rate[g] / m
                    if per_min < 1:
                        p = max(1, min(m, int(round(1 / max(per_min, 1e-9)))))
                        row = np.zeros(m, dtype=np.int64)
                        row[int(rng.integers(0, p))::p] = 1
                    else:
                        row = np.full(m, int(round(per_min)), dtype=np.int64)
                    counts[j] = row
                f.write(f"{owners[app_owner[fn_app[g]]]},{apps[fn_app[g]]},{funcs[g]},{trig[g]},")
                f.write(",".join(map(str, counts[j].tolist())))
                f.write("\n")

    dur_path = os.path.join(a.out, "function_durations_percentiles.anon.d01.csv")
    with write_whole(dur_path) as f:
        f.write("HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,"
                "percentile_Average_0,percentile_Average_1,percentile_Average_25,"
                "percentile_Average_50,percentile_Average_75,percentile_Average_99,"
                "percentile_Average_100\n")
        med = rng.lognormal(mean=np.log(600), sigma=1.8, size=n)  # ms
        spread = rng.uniform(0.3, 1.2, size=n)
        z = np.array([-3.5, -2.326, -0.674, 0.0, 0.674, 2.326, 3.5])
        for g in range(n):
            if rng.random() < 0.01:
                continue  # no durations row
            p = np.maximum(0, med[g] * np.exp(spread[g] * z)).round().astype(np.int64)
            avg = int(round(med[g] * np.exp(spread[g] ** 2 / 2)))
            f.write(f"{owners[app_owner[fn_app[g]]]},{apps[fn_app[g]]},{funcs[g]},{avg},"
                    f"{max(1, int(rate[g]))},{p[0]}.0,{p[6]}.0," + ",".join(map(str, p)) + "\n")

    mem_path = os.path.join(a.out, "app_memory_percentiles.anon.d01.csv")
    with write_whole(mem_path) as f:
        f.write("HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,"
                "AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,"
                "AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,"
                "AverageAllocatedMb_pct100\n")
        avg = rng.lognormal(mean=np.log(150), sigma=0.5, size=napps)
        for x in range(napps):
            if rng.random() < 0.01:
                continue  # no memory row
            v = avg[x]
            pct = [v * s for s in (0.6, 0.7, 0.9, 1.0, 1.1, 1.3, 1.5, 2.0)]
            f.write(f"{owners[app_owner[x]]},{apps[x]},{int(rng.integers(10, 100000))},{int(round(v))},"
                    + ",".join(str(int(round(q))) for q in pct) + "\n")
    print(f"gen-azure2019: {n} functions in {napps} apps, {m} minutes, into {a.out}")


if __name__ == "__main__":
    main()

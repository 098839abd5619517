#!/usr/bin/python3
"""The Python package's overhead, in CPU time (the machines are shared: wall
time is noise). Alternates `edgesim run` and edgesim.run() on the same
scenario and seed, N rounds, and prints invocations per CPU second of each
and their ratio; then a run with a trivial Python scheduler callback
(always the first candidate) against the same run with the built-in
least_loaded, and their ratio.

    PYTHONPATH=python /usr/bin/python3 scripts/python-overhead.py [SCENARIO] [--rounds 3]
        [--set duration=3m] [--callback-set duration=1m]
"""
import argparse
import os
import resource
import subprocess
import tempfile

import edgesim


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/scale.json")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--callback-set", action="append", default=None)
    ap.add_argument("--edgesim", default=os.environ.get("EDGESIM", "build/edgesim"))
    args = ap.parse_args()
    sets = dict(kv.split("=", 1) for kv in args.set)
    tmp = tempfile.mkdtemp(prefix="edgesim-overhead-")
    cli_cpu = py_cpu = 0.0
    inv = None
    for k in range(args.rounds):
        cmd = [args.edgesim, "run", args.scenario, "-q", "--no-plots", "-o", tmp + "/cli"]
        for kv in args.set:
            cmd += ["--set", kv]
        c0 = cpu_children()
        subprocess.run(cmd, check=True)
        cli_cpu += cpu_children() - c0
        p0 = cpu_self()
        r = edgesim.run(args.scenario, set=sets, outdir=tmp + "/py")
        py_cpu += cpu_self() - p0
        inv = r.invocations
    n = inv * args.rounds
    print("%s: %d invocations a run, %d rounds alternating" % (args.scenario, inv, args.rounds))
    print("  edgesim run    %10.0f invocations per CPU second" % (n / cli_cpu))
    print("  edgesim.run()  %10.0f invocations per CPU second  (%.1f%% of the CLI)"
          % (n / py_cpu, 100.0 * cli_cpu / py_cpu))
    cb_sets = dict(kv.split("=", 1) for kv in (args.callback_set or args.set))
    p0 = cpu_self()
    base = edgesim.run(args.scenario, set=cb_sets, outdir=tmp + "/base")
    base_cpu = cpu_self() - p0
    p0 = cpu_self()
    cb = edgesim.run(args.scenario, set=cb_sets, outdir=tmp + "/cb",
                     scheduler=lambda function, candidates, now: 0)
    cb_cpu = cpu_self() - p0
    print("  least_loaded   %10.0f invocations per CPU second (%d invocations)"
          % (base.invocations / base_cpu, base.invocations))
    print("  Python callback%10.0f invocations per CPU second (%.1fx slower)"
          % (cb.invocations / cb_cpu, (cb_cpu / cb.invocations) / (base_cpu / base.invocations)))


if __name__ == "__main__":
    main()

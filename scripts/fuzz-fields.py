#!/usr/bin/python3
"""Field-mutation fuzzing of whole scenarios: every field of a scenario, in
turn, replaced by hostile values (wrong types, 0, -1, +-1e308, 2^64, "",
NaN and infinity as text, out-of-range units, broken distributions), each
run as `edgesim run SCENARIO --set PATH=VALUE`, so the scenario file and its
folder are never written.

    /usr/bin/python3 scripts/fuzz-fields.py EDGESIM SCENARIO [--duration D]
                     [--max-cases N] [--timeout S] [--fields PREFIX]...

EDGESIM is best the sanitizer build (`make asan` leaves build/asan/edgesim).
A finding is a run that crashed or exited other than 0, 1 or 2, printed
sanitizer output, or did not end within --timeout seconds. The refusals
with more than one line are listed apart, one example per message shape:
several lines are right when the scenario has several problems, but a line
that only follows from another (a reference to what a refused entry would
have defined) is a cascade to fix (docs/scenario.md, "Rules"). Python's
standard library only. Exit status: 0 no finding, 1 findings, 2 usage."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

VALUES = [0, -1, 1, 0.5, 1e308, -1e308, 1e-300, 2**63, 2**64, "", "0s", "1ns", "1000000d",
          "-1s", "1e400Gbps", "0bps", "NaN", "inf", None, [], {}, True, "x" * 300, "\u00e9\u00e9",
          "1/0s", "0/h", "1e300/h", [0, 0], [1e308, 1e308], [-1, 1],
          {"type": "exponential", "mean": "0s"}, {"type": "exponential", "mean": 1e308},
          {"type": "uniform", "min": 5, "max": 1}, {"type": "constant", "value": 1e308},
          {"type": "constant", "value": "1000000d"}]
SKIP = {"duration", "seed", "name", "description"}
PLAIN_KEY = re.compile(r"^[^.\[\]=]+$")  # a key a --set path can name


def paths(node, path=""):
    """Every --set path of node's subtrees and leaves, each before what it
    holds: a whole section, then its first entry, then that entry's fields."""
    if path and path not in SKIP:
        yield path
    if isinstance(node, dict):
        for k, v in node.items():
            if k.startswith("$") or not PLAIN_KEY.match(k):
                continue
            yield from paths(v, "%s.%s" % (path, k) if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, "%s[%d]" % (path, i))


def shape(line):
    """A diagnostic without its position and the values it quotes."""
    line = line.split(": ", 1)[1] if ": " in line else line
    return re.sub(r'"[^"]*"|-?[0-9][0-9.e+-]*', "V", line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("edgesim")
    ap.add_argument("scenario")
    ap.add_argument("--duration", default="10m", help="each run's duration (default 10m)")
    ap.add_argument("--max-cases", type=int, default=0, help="stop after N runs (0: all)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds before a run is a hang")
    ap.add_argument("--fields", action="append", default=[],
                    help="only paths starting with PREFIX (repeatable)")
    a = ap.parse_args()
    try:
        with open(a.scenario, encoding="utf-8") as f:
            base = json.load(f)
    except (OSError, ValueError) as e:
        print("fuzz-fields.py: %s: %s" % (a.scenario, e), file=sys.stderr)
        return 2
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="print_stacktrace=1")
    findings, multi, runs = 0, {}, 0
    cases = ((path, v) for path in paths(base)
             if not a.fields or any(path.startswith(p) for p in a.fields) for v in VALUES)
    with tempfile.TemporaryDirectory(prefix="fuzz-fields.") as work:
        for path, v in cases:
            if a.max_cases and runs >= a.max_cases:
                break
            runs += 1
            cmd = [a.edgesim, "run", a.scenario, "-q", "--no-plots", "-o",
                   os.path.join(work, "out"), "--max-events", "3000000",
                   "--max-memory", "2G", "--set", "duration=" + json.dumps(a.duration),
                   "--set", "%s=%s" % (path, json.dumps(v))]
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=a.timeout,
                                   env=env)
            except subprocess.TimeoutExpired:
                findings += 1
                print("HANG  --set %s=%s" % (path, json.dumps(v)[:80]))
                continue
            finally:
                shutil.rmtree(os.path.join(work, "out"), ignore_errors=True)
            err = [l for l in r.stderr.splitlines() if l.strip()]
            bad = None
            if r.returncode not in (0, 1, 2):
                bad = "exit %d" % r.returncode
            elif "Sanitizer" in r.stderr or "runtime error" in r.stderr:
                bad = "sanitizer"
            if bad:
                findings += 1
                print("FOUND %s  --set %s=%s" % (bad, path, json.dumps(v)[:80]))
                print("    " + "\n    ".join(err[:8]))
            elif r.returncode == 2 and len(err) > 1:
                key = tuple(shape(l) for l in err[:3])
                multi.setdefault(key, (path, v, err))
    for path, v, err in multi.values():
        print("LINES %d  --set %s=%s" % (len(err), path, json.dumps(v)[:60]))
        print("    " + "\n    ".join(l[:200] for l in err[:4]))
    print("fuzz-fields: %d runs, %d findings, %d shapes of refusal in several lines (above: "
          "read them for cascades)" % (runs, findings, len(multi)))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

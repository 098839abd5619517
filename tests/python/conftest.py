"""Shared set-up of the Python package's tests (run by `make pytest`, part of
`make test`): the source tree's root, the CLI to compare with, and a short
quickstart (2 simulated minutes, a crash and recovery moved into them)."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))

import edgesim  # noqa: E402

QUICK = os.path.join(ROOT, "scenarios", "quickstart.json")
SHORT = {"duration": "2m", "faults[0].at": "30s", "faults[1].at": "50s"}


def cli():
    return os.environ.get("EDGESIM") or os.path.join(ROOT, "build", "edgesim")


def cli_run(scenario, outdir, seed=None, sets=None, extra=()):
    """`edgesim run` on the same input; returns its summary.json as a dict."""
    cmd = [cli(), "run", scenario, "-o", str(outdir), "-q", "--no-plots"]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    for k, v in (sets or {}).items():
        cmd += ["--set", "%s=%s" % (k, v)]
    cmd += list(extra)
    subprocess.run(cmd, check=True)
    import json
    with open(os.path.join(str(outdir), "summary.json")) as f:
        return json.load(f)


@pytest.fixture
def tiny():
    """One node, one function, 10 s: for the tests that make many simulations."""
    return {
        "name": "tiny", "seed": 1, "duration": "10s", "sample_interval": "1s",
        "regions": [{"id": "r"}],
        "nodes": [{"id": "n1", "region": "r"}, {"id": "n2", "region": "r"}],
        "functions": [{"id": "f", "exec_time": {"type": "constant", "value": "50ms"},
                       "cold_start": {"type": "constant", "value": "100ms"}}],
        "deployments": [{"function": "f", "strategy": "all"}],
        "workloads": [{"function": "f", "region": "r", "arrival": "constant", "interval": "100ms"}],
    }

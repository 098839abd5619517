"""Every Python snippet of docs/python.md runs as written, in order, in one
interpreter (as a notebook would), from the top of the source tree; and the
examples in examples/python run on a short scenario."""
import os
import re
import subprocess
import sys

from conftest import ROOT


def env():
    return dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"), MPLBACKEND="Agg")


def snippets():
    text = open(os.path.join(ROOT, "docs", "python.md"), encoding="utf-8").read()
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def test_docs_python_snippets_run_as_written():
    code = snippets()
    assert len(code) >= 8
    out = subprocess.run([sys.executable, "-c", "\n".join(code)], cwd=ROOT, env=env(),
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]


def test_bandit_example_runs():
    out = subprocess.run([sys.executable, "examples/python/bandit.py", "--duration", "1m"],
                         cwd=ROOT, env=env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    rows = [l.split() for l in out.stdout.splitlines()[1:]]
    assert [r[0] for r in rows] == ["random", "least_loaded", "epsilon-greedy"]
    # the same arrivals (seed): the bandit's mean latency beats random's even in
    # one minute, while it is still learning (its p99 does not yet)
    assert float(rows[2][1]) < float(rows[0][1])


def test_sweep_example_runs(tmp_path):
    png = tmp_path / "sweep.png"
    out = subprocess.run([sys.executable, "examples/python/sweep.py", "--set", "duration=30s",
                          "--values", "10s,10m", "--seeds", "1,2", "--plot", str(png)],
                         cwd=ROOT, env=env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "10m" in out.stdout and png.stat().st_size > 1000

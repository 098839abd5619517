"""A host's locale does not reach the outputs: Python code that chose a
locale with a decimal comma (locale.setlocale(LC_ALL, "") under de_DE) gets
the CLI's bytes, and its own locale back after each call (the library runs
under the C locale while it reads, runs and writes: docs/python.md)."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import QUICK, ROOT, SHORT, cli_run

SOURCE = "/usr/share/i18n/locales/de_DE"


@pytest.fixture(scope="module")
def comma_locale(tmp_path_factory):
    """A folder for LOCPATH holding de_DE.UTF-8, built with localedef (the
    machine need not have it installed; its definition comes with Debian's
    locales package, which scripts/deps.sh installs)."""
    if not os.path.exists(SOURCE) or not shutil.which("localedef"):
        pytest.skip("needs localedef and Debian's locales package (scripts/deps.sh)")
    d = tmp_path_factory.mktemp("locale")
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}  # not under the sanitizers
    subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", str(d / "de_DE.UTF-8")],
                   check=True, capture_output=True, env=env)
    return str(d)


CHILD = r"""
import json, locale, sys
import edgesim
locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")
assert locale.localeconv()["decimal_point"] == ",", locale.localeconv()["decimal_point"]
sets = json.loads(sys.argv[3])
r = edgesim.run(sys.argv[1], seed=3, set=sets, outdir=sys.argv[2])
sim = edgesim.Simulation(sys.argv[1], seed=3, set=sets)
sim.run_until(30.5)
# the caller's locale is back after each call
print(locale.localeconv()["decimal_point"], locale.format_string("%.1f", 1.5), r.fingerprint)
"""


def test_a_decimal_comma_locale_changes_no_output_byte(tmp_path, comma_locale):
    # a decimal in the overrides too: read as the CLI reads it
    sets = dict(SHORT, **{"sample_interval": "2.5s"})
    want = cli_run(QUICK, tmp_path / "cli", seed=3, sets=sets)
    env = dict(os.environ, LOCPATH=comma_locale,
               PYTHONPATH=os.path.join(ROOT, "python") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", CHILD, QUICK, str(tmp_path / "py"), json.dumps(sets)],
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    point, formatted, fingerprint = out.stdout.split()
    assert (point, formatted) == (",", "1,5")
    assert fingerprint == want["fingerprint"]
    names = sorted(n for n in os.listdir(tmp_path / "cli") if n.endswith(".csv"))
    assert names
    for n in names + ["summary.json"]:
        assert (tmp_path / "cli" / n).read_bytes() == (tmp_path / "py" / n).read_bytes(), n

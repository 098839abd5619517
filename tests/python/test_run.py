"""edgesim.run and Result: the same run as the CLI's (fingerprint and every
output), tables that are the CSVs, overrides and seeds as --set and --seed,
and validation errors as ScenarioError carrying the CLI's line."""
import csv
import gc
import json
import os

import subprocess
import sys

import pytest

import edgesim
from conftest import QUICK, ROOT, SHORT, cli, cli_run


def test_run_has_the_cli_fingerprint_and_summary(tmp_path):
    want = cli_run(QUICK, tmp_path / "cli", seed=7, sets=SHORT)
    r = edgesim.run(QUICK, seed=7, set=SHORT, outdir=str(tmp_path / "py"))
    assert r.fingerprint == want["fingerprint"]
    assert r.summary == want
    assert r.outdir == str(tmp_path / "py")


def test_every_csv_output_is_byte_identical_to_the_cli(tmp_path):
    cli_run(QUICK, tmp_path / "cli", seed=3, sets=SHORT)
    r = edgesim.run(QUICK, seed=3, set=SHORT, outdir=str(tmp_path / "py"))
    names = sorted(n for n in os.listdir(tmp_path / "cli") if n.endswith(".csv"))
    assert names and names == sorted(n + ".csv" for n in r.tables())
    for n in names:
        assert (tmp_path / "cli" / n).read_bytes() == (tmp_path / "py" / n).read_bytes(), n


@pytest.mark.parametrize("name", ["timeseries", "nodes", "functions", "health", "placements",
                                  "latency", "faults", "node_series"])
def test_tables_hold_the_csv_rows(tmp_path, name):
    r = edgesim.run(QUICK, set=SHORT, outdir=str(tmp_path))
    with open(tmp_path / (name + ".csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    t = r.table(name)
    if edgesim._pd() is not None:
        assert list(t.columns) == list(rows[0].keys()) if rows else True
        assert len(t) == len(rows)
        t = t.to_dict("records")
    assert len(t) == len(rows)
    for got, want in zip(t, rows):
        for k, v in want.items():
            g = got[k]
            if v == "":
                assert g is None or g != g  # None or NaN
            elif isinstance(g, str):
                assert g == v
            else:
                assert float(g) == pytest.approx(float(v), rel=1e-12), (k, v, g)


def test_table_without_pandas_is_a_list_of_dicts(tmp_path, monkeypatch):
    r = edgesim.run(QUICK, set=SHORT, outdir=str(tmp_path))
    monkeypatch.setattr(edgesim, "use_pandas", False)
    rows = r.table("functions")
    assert [row["function"] for row in rows] == ["thumbnail", "api-auth", "ocr", "sensor-agg"]
    assert isinstance(rows[0]["arrivals"], int) and isinstance(rows[0]["latency_p99_s"], float)
    assert rows[0]["app"] is None  # an empty cell


IDS_LIKE_VALUES = {
    "duration": "2m",
    "regions": [{"id": "NA"}, {"id": "null"}],
    "nodes": [{"id": "{i:02}", "count": 2, "region": "NA"}, {"id": "inf", "region": "null"}],
    "functions": [{"id": "None", "exec_time": {"type": "constant", "value": "10ms"}},
                  {"id": "1e5", "exec_time": {"type": "constant", "value": "10ms"}}],
    "deployments": [{"function": "*", "strategy": "all"}],
    "workloads": [{"function": "None", "region": "NA", "arrival": "poisson", "rate": 5},
                  {"function": "1e5", "region": "null", "arrival": "poisson", "rate": 5}]}


@pytest.mark.parametrize("pandas", [True, False])
def test_ids_that_look_like_numbers_or_missing_values_stay_text(tmp_path, monkeypatch, pandas):
    # pandas read node "01" as 1.0, region "NA" and function "None" as NaN,
    # and both readers function "1e5" as 100000.0 and node "inf" as infinity
    if pandas and edgesim._pd() is None:
        pytest.skip("no pandas")
    monkeypatch.setattr(edgesim, "use_pandas", pandas)
    scen = tmp_path / "ids.json"
    scen.write_text(json.dumps(IDS_LIKE_VALUES))
    r = edgesim.run(str(scen), outdir=str(tmp_path / "out"))
    nodes, fns = r.table("nodes"), r.table("functions")
    if pandas:
        nodes, fns = nodes.to_dict("records"), fns.to_dict("records")
    assert [n["node"] for n in nodes] == ["01", "02", "inf"]
    assert [n["region"] for n in nodes] == ["NA", "NA", "null"]
    assert [f["function"] for f in fns] == ["None", "1e5"]
    assert all(isinstance(n["cores"], (int,)) or float(n["cores"]).is_integer() for n in nodes)


def test_import_loads_neither_pandas_nor_numpy():
    # numpy's libquadmath would slow every printf of the process (docs/python.md)
    out = subprocess.run([sys.executable, "-c", "import sys, edgesim; edgesim.run(%r, "
                          "set={'duration': '2s'}); print('numpy' in sys.modules)" % QUICK],
                         capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python")))
    assert out.stdout.strip() == "False"


def test_unknown_table_names_the_ones_there(tmp_path):
    r = edgesim.run(QUICK, set=SHORT, outdir=str(tmp_path))
    with pytest.raises(KeyError, match="timeseries"):
        r.table("invocations")


def test_invocations_table_only_when_asked(tmp_path):
    r = edgesim.run(QUICK, set={"duration": "5s"}, invocations=True, outdir=str(tmp_path))
    # one row per invocation that ended: those in flight at the end have none
    # (outcomes counts them as in_flight_at_end, which is not an outcome)
    outcomes = r.summary["outcomes"]
    ended = sum(n for k, n in outcomes.items() if k != "in_flight_at_end")
    assert len(r.table("invocations")) == ended
    assert ended + outcomes["in_flight_at_end"] == r.summary["totals"]["arrivals"]
    assert "invocations" not in edgesim.run(QUICK, set={"duration": "5s"}).tables()


def test_a_dict_scenario_runs_as_its_file(tmp_path):
    with open(QUICK) as f:
        sc = json.load(f)
    a = edgesim.run(QUICK, set=SHORT)
    b = edgesim.run(sc, set=SHORT)
    assert a.fingerprint == b.fingerprint


def test_seed_and_set_act_as_the_cli_flags():
    a = edgesim.run(QUICK, set=SHORT)
    b = edgesim.run(QUICK, set=dict(SHORT, seed=42))   # quickstart's own seed is 42
    c = edgesim.run(QUICK, seed=43, set=SHORT)
    d = edgesim.run(QUICK, set=dict(SHORT, **{"policies.scheduler": "round_robin"}))
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert d.summary["scheduler"] == "round_robin" and d.fingerprint != a.fingerprint
    # a non-string value goes as JSON: the number 7, as --set seed=7
    assert edgesim.run(QUICK, set=dict(SHORT, seed=7)).fingerprint == \
        edgesim.run(QUICK, seed=7, set=SHORT).fingerprint


def test_temporary_outdir_goes_with_its_result():
    r = edgesim.run(QUICK, set={"duration": "5s"})
    d = r.outdir
    assert os.path.exists(os.path.join(d, "summary.json"))
    del r
    gc.collect()
    assert not os.path.exists(d)


def test_bad_file_raises_scenario_error_with_the_cli_lines(tmp_path, tiny):
    p = tmp_path / "bad.json"
    text = json.dumps(tiny, indent=1).replace('"duration": "10s"', '"duration": "-5s"')
    p.write_text(text.replace('"interval": "100ms"', '"interval": "fast"'))
    with pytest.raises(edgesim.ScenarioError) as e:
        edgesim.run(str(p))
    err = e.value
    dur = next(i for i, l in enumerate(p.read_text().splitlines(), 1) if '"duration"' in l)
    assert (err.file, err.line, err.path) == (str(p), dur, "duration")
    assert err.column > 1 and err.message.startswith("expected a duration")
    assert err.count == len(err.lines) == 2
    assert err.lines[0] == "%s:%d:%d: duration: %s" % (p, dur, err.column, err.message)
    # exactly what `edgesim validate` prints, line for line
    out = subprocess.run([cli(), "validate", str(p)], capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.splitlines() == err.lines


def test_bad_override_names_set():
    with pytest.raises(edgesim.ScenarioError) as e:
        edgesim.run(QUICK, set={"duration": "soon"})
    assert e.value.file == "--set" and e.value.path == "duration"


def test_warmup_goes_to_the_scenario_field():
    # the format's "warmup": statistics count the arrivals from it on, the
    # trajectory is the same run (docs/semantics.md, "Warm-up")
    whole = edgesim.run(QUICK, set=SHORT)
    warm = edgesim.run(QUICK, set=SHORT, warmup="10s")
    assert warm.summary["warmup_s"] == 10
    assert whole.summary["warmup_s"] == 0
    assert 0 < warm.summary["totals"]["arrivals"] < whole.summary["totals"]["arrivals"]
    assert warm.fingerprint == whole.fingerprint
    with pytest.raises(edgesim.ScenarioError, match="warmup"):
        edgesim.run(QUICK, set=SHORT, warmup="soon")


def test_missing_file_is_a_scenario_error():
    with pytest.raises(edgesim.ScenarioError, match="nope.json"):
        edgesim.run("nope.json")


def test_empty_names_are_refused_with_what_was_expected():
    with pytest.raises(edgesim.ScenarioError, match="expected a scenario file name"):
        edgesim.run("")
    with pytest.raises(ValueError, match=r"outdir: expected a folder \(or None"):
        edgesim.run(QUICK, outdir="")


@pytest.mark.parametrize("seed", [-1, 1.5, True, 2**53, 2**64 + 5])
def test_bad_seed_is_refused_before_running(seed):
    # 2**64 + 5 would wrap to 5 in the C struct; 2**53 is past what --seed takes
    with pytest.raises(ValueError, match="seed: expected a whole number from 0 to 9007199254740991"):
        edgesim.run(QUICK, seed=seed)


def test_largest_seed_is_the_clis(tmp_path):
    top = 2**53 - 1
    want = cli_run(QUICK, tmp_path / "cli", seed=top, sets=SHORT)
    assert edgesim.run(QUICK, seed=top, set=SHORT).fingerprint == want["fingerprint"]


@pytest.mark.parametrize("kw", [{"scenario": "scenarios/quick\0start.json"},
                                {"outdir": "/tmp/a\0b"},
                                {"set": {"name": "a\0b"}}])
def test_text_with_nul_is_refused_not_cut(kw):
    # C would read each of these only up to the NUL: another file, folder or name
    args = {"scenario": QUICK, **kw}
    with pytest.raises(ValueError, match="without NUL characters"):
        edgesim.run(args.pop("scenario"), **args)


def test_set_must_be_a_dict():
    with pytest.raises(TypeError, match="set: expected a dict"):
        edgesim.run(QUICK, set=["duration=1m"])


def test_run_until_far_times_clamp_and_nan_is_refused():
    with edgesim.Simulation(QUICK, set=SHORT) as s:
        with pytest.raises(ValueError, match="found nan"):
            s.run_until(float("nan"))
        # 1e10 s is past the int64 clock (it used to wrap to a negative time)
        assert s.run_until(1e10).now == s.end
        assert s.run_until(float("inf")).now == s.end


def test_a_run_into_an_earlier_runs_folder_replaces_it_as_a_whole(tmp_path):
    # The library wrote its files into outdir in place: a second run there
    # left the first's invocations.csv (and anything else it did not write)
    # beside its own outputs, and a folder of other files took outputs
    # mixed in. It now stages them beside outdir and publishes the folder
    # in one step, as `edgesim run -o` does.
    out = tmp_path / "o"
    first = edgesim.run(QUICK, set=SHORT, outdir=str(out), invocations=True)
    assert (out / "invocations.csv").exists()
    second = edgesim.run(QUICK, set=SHORT, seed=2, outdir=str(out))
    assert not (out / "invocations.csv").exists()
    assert second.fingerprint != first.fingerprint
    assert second.summary["fingerprint"] == second.fingerprint
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(edgesim.RunError, match="expected an empty folder or earlier outputs"):
        edgesim.run(QUICK, set=SHORT, outdir=str(mine))
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    # nothing is left beside them: no staging folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "o"]


@pytest.mark.parametrize("text,meant", [("1 min", "1m"), ("30sec", "30s"), ("2 Hours", "2h")])
def test_a_duration_with_a_unit_word_names_the_form_it_meant(text, meant):
    with pytest.raises(ValueError, match=r"found '%s' \(did you mean '%s'\?\)" % (text, meant)):
        edgesim.parse_duration(text)
    assert edgesim.parse_duration(meant) > 0
    with pytest.raises(ValueError, match=r"found '10 fortnights'$"):
        edgesim.parse_duration("10 fortnights")

"""edgesim.Simulation: a run in pieces is the run at once (run_until in 100
pieces, event by event, mixed), the clock, the state readers checked against
hand-made scenarios and the final outputs, inject (faults and operations at
now, later, invalid), and calls that do not fit the simulation's state."""
import json

import pytest

import edgesim
from conftest import QUICK, SHORT


def whole(seed=None):
    return edgesim.run(QUICK, seed=seed, set=SHORT).fingerprint


def test_run_until_in_100_pieces_is_one_run():
    s = edgesim.Simulation(QUICK, set=SHORT)
    for k in range(1, 101):
        s.run_until(120.0 * k / 100)
        assert s.now == pytest.approx(120.0 * k / 100)
    assert s.finish().fingerprint == whole()


def test_event_by_event_is_one_run():
    s = edgesim.Simulation(QUICK, seed=5, set={"duration": "30s"})
    n, last = 0, 0.0
    while s.step():
        assert s.now >= last  # the clock moves to each event's time, never back
        last = s.now
        n += 1
    assert n > 1000 and s.step() is False
    r = s.finish()
    assert r.fingerprint == edgesim.run(QUICK, seed=5, set={"duration": "30s"}).fingerprint
    assert r.events == n  # every event, one by one (finish had none left)


def test_mixed_steps_run_until_and_reads_are_one_run():
    s = edgesim.Simulation(QUICK, set=SHORT)
    s.run_until("10s")
    for _ in range(500):
        s.step()
    s.nodes(), s.functions()
    s.run_until(s.now)      # no time passes: nothing changes
    s.run_until("1m")
    assert s.finish().fingerprint == whole()


def test_clock_and_end():
    s = edgesim.Simulation(QUICK, set=SHORT)
    assert s.now == 0 and s.end == 120
    s.run_until(500)        # capped at the end
    assert s.now == 120
    with pytest.raises(edgesim.RunError, match="clock is at 120"):
        s.run_until(60)
    s.close()


def test_nodes_at_the_start_and_after_a_crash(tiny):
    s = edgesim.Simulation(tiny)
    n = s.nodes()
    rows = n.to_dict("records") if hasattr(n, "to_dict") else n
    assert [r["id"] for r in rows] == ["n1", "n2"]
    assert all(r["region"] == "r" and r["status"] == "online" and r["up"] and r["healthy"]
               and r["busy"] == 0 and r["queued"] == 0 and r["invocations"] == 0 for r in rows)
    s.run_until("5s")
    s.inject({"kind": "crash", "node": "n1"})
    rows = s.nodes()
    rows = rows.to_dict("records") if hasattr(rows, "to_dict") else rows
    # the truth changes at once; the control plane has not noticed yet
    assert rows[0]["up"] is False and rows[0]["warm_instances"] == 0
    assert rows[0]["memory_used_mb"] == 0 and rows[1]["up"] is True
    s.run_until("10s")      # 3 missed heartbeats later (10 s default interval: not yet)
    r = s.finish()
    assert r.table("faults").to_dict("records")[0]["kind"] == "crash"


def test_function_counters_add_up_to_the_outputs(tiny):
    s = edgesim.Simulation(tiny)
    s.run_until("3s")
    f = s.functions().to_dict("records")[0]
    # constant arrivals every 100 ms from t = 100 ms, 50 ms each after a 100 ms
    # cold start on the first of each node, no network latency in one region
    assert f["id"] == "f" and f["deployed"] == 2 and f["failed"] == f["rejected"] == 0
    assert 27 <= f["ok"] <= 30 and 1 <= f["cold_starts"] <= 2
    r = s.finish()
    row = r.table("functions").to_dict("records")[0]
    g = edgesim.Simulation(tiny)
    g.run_until("10s")
    f = g.functions().to_dict("records")[0]
    assert (f["ok"], f["cold_starts"]) == (row["ok"], row["cold_starts"])
    assert f["p99_ms"] == pytest.approx(row["latency_p99_s"] * 1e3)
    assert f["latency_sum_ms"] / f["ok"] == pytest.approx(row["latency_mean_s"] * 1e3)
    g.close()


def test_inject_at_now_is_in_the_outputs_and_the_fingerprint():
    s = edgesim.Simulation(QUICK, set=SHORT)
    s.run_until("40s")
    s.inject({"kind": "degrade", "node": "eu-01", "factor": 3, "for": "20s"})
    s.inject({"kind": "load_spike", "function": "api-auth", "factor": 2, "for": "1m"})
    r = s.finish()
    rows = r.table("faults").to_dict("records")
    got = {(f["kind"], f["start_s"], f["end_s"], f["target"]) for f in rows}
    assert ("degrade", 40, 60, "eu-01") in got
    assert ("load_spike", 40, 100, "api-auth") in got
    assert ("crash", 30, 50, "us-03") in got  # the file's own
    assert r.fingerprint != whole()


def test_an_undeploy_shows_in_the_function_state(tiny):
    s = edgesim.Simulation(tiny)
    s.run_until("1s")
    s.inject({"kind": "undeploy", "function": "f", "node": "n2"})
    assert s.functions()["deployed"][0] == 1
    s.inject({"kind": "deploy", "function": "f", "node": "n2"})
    assert s.functions()["deployed"][0] == 2
    s.close()


def test_inject_later_is_the_same_as_the_file_saying_so(tiny):
    crash = {"kind": "crash", "node": "n1", "at": "4s", "for": "3s"}
    s = edgesim.Simulation(tiny)
    s.run_until("2s")
    s.inject(crash)
    a = s.finish().fingerprint
    b = edgesim.run(dict(tiny, faults=[crash])).fingerprint
    # the same trajectory; the fingerprint also mixes the fault's index, the
    # same (0) in both
    assert a == b


def test_invalid_injections_raise_scenario_error_and_change_nothing(tiny):
    s = edgesim.Simulation(tiny)
    s.run_until("5s")
    with pytest.raises(edgesim.ScenarioError) as e:
        s.inject({"kind": "crash", "node": "n9"})
    assert (e.value.file, e.value.path) == ("<inject>", "node")
    assert 'found "n9"' in e.value.message
    with pytest.raises(edgesim.ScenarioError, match="at: expected a time in"):
        s.inject({"kind": "crash", "node": "n1", "at": "1s"})
    with pytest.raises(edgesim.ScenarioError, match="kind"):
        s.inject({"kind": "meteor", "node": "n1"})
    with pytest.raises(edgesim.ScenarioError, match="sync"):
        s.inject({"kind": "state_update", "patch": {"a": 1}})
    with pytest.raises(TypeError):
        s.inject("crash n1")
    assert s.finish().fingerprint == edgesim.run(tiny).fingerprint


def test_values_json_cannot_hold_are_refused_where_they_are(tiny, monkeypatch, tmp_path):
    """NaN, infinity, a key that is not a string and a value of another type
    are refused before anything is made, naming their JSON path (json.dumps
    would have written NaN, which is not JSON, or turned 1 into "1")."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # to see what is left there
    bad = dict(tiny, seed=float("nan"))
    with pytest.raises(ValueError, match=r"^scenario: seed: expected a number JSON can hold, "
                                         r"found nan \(JSON has no NaN or infinity\)$"):
        edgesim.Simulation(bad)
    bad = json.loads(json.dumps(tiny))
    bad["functions"][0]["memory_mb"] = float("-inf")
    with pytest.raises(ValueError, match=r"^scenario: functions\[0\]\.memory_mb: .* found -inf"):
        edgesim.run(bad)
    bad = json.loads(json.dumps(tiny))
    bad["nodes"][0]["capabilities"] = {"gpu"}
    with pytest.raises(TypeError, match=r"^scenario: nodes\[0\]\.capabilities: expected a JSON "
                                        r"value .*, found set"):
        edgesim.Simulation(bad)
    with pytest.raises(TypeError, match=r"^scenario: policies: expected keys that are strings, "
                                        r"found the key 1$"):
        edgesim.Simulation(dict(tiny, policies={1: "x"}))
    with pytest.raises(ValueError, match=r"^set: seed: .* found inf"):
        edgesim.Simulation(tiny, set={"seed": float("inf")})
    assert list(tmp_path.iterdir()) == [], "no folder made"
    s = edgesim.Simulation(tiny)
    with pytest.raises(TypeError, match=r"^inject: node: expected a JSON value"):
        s.inject({"kind": "crash", "node": object()})
    assert s.finish().fingerprint == edgesim.run(tiny).fingerprint


def test_a_dicts_problems_are_named_by_path_without_a_column_of_made_text(tiny):
    bad = json.loads(json.dumps(tiny))
    bad["seed"] = -1
    bad["nodes"][0]["region"] = "mars"
    with pytest.raises(edgesim.ScenarioError) as e:
        edgesim.Simulation(bad)
    assert e.value.lines == [
        "<dict>: seed: expected a whole number from 0 to 9007199254740991, found -1",
        '<dict>: nodes[0].region: expected a region id defined in regions, found "mars"']
    assert (e.value.file, e.value.line, e.value.column, e.value.path, e.value.count) == (
        "<dict>", 0, 0, "seed", 2)


def test_a_scenario_or_outdir_of_another_type_is_named(tiny):
    for v in (5, [1], None):
        with pytest.raises(TypeError, match=r"^scenario: expected a path or a dict, found "):
            edgesim.Simulation(v)
    with pytest.raises(TypeError, match=r"^outdir: expected a folder .*found int 5$"):
        edgesim.Simulation(tiny, outdir=5)


def test_a_finished_or_closed_simulation_refuses_to_run(tiny):
    s = edgesim.Simulation(tiny)
    s.finish()
    with pytest.raises(edgesim.RunError, match="closed"):
        s.step()
    with pytest.raises(edgesim.RunError):
        s.inject({"kind": "crash", "node": "n1"})
    t = edgesim.Simulation(tiny)
    t.close()
    t.close()  # twice is fine
    with pytest.raises(edgesim.RunError):
        t.nodes()


def test_a_closed_simulation_is_read_as_closed_not_through_a_null_handle(tiny):
    # Reading `end` or `fingerprint` after close() handed the library a NULL
    # handle and the interpreter died (SIGSEGV): each member now says it is
    # closed, after close() and after finish() alike.
    for finish in (False, True):
        s = edgesim.Simulation(tiny)
        s.finish() if finish else s.close()
        assert s.now is None
        assert repr(s) == "Simulation(now=None)"
        for read in (lambda: s.end, lambda: s.fingerprint, s.nodes, s.functions, s.step,
                     lambda: s.run_until(1), lambda: s.inject({"kind": "crash", "node": "n1"})):
            with pytest.raises(edgesim.RunError, match="closed"):
                read()


def test_context_manager_frees_without_outputs(tmp_path, tiny):
    with edgesim.Simulation(tiny, outdir=str(tmp_path / "o")) as s:
        s.run_until("1s")
    assert not (tmp_path / "o" / "summary.json").exists()


def test_simulations_in_threads_at_once_are_the_runs_alone():
    # edgesim.h: different simulations are independent (no global mutable
    # state), and ctypes lets go of the GIL during each call, so these run at
    # the same time: each one's fingerprint is that of the same run alone,
    # whole or stepped, however the threads interleave
    import os
    import threading
    root = os.path.dirname(QUICK)
    scen = [QUICK, os.path.join(root, "network", "offloading.json"),
            os.path.join(root, "workflows", "ml-inference.json"),
            os.path.join(root, "autoscaling", "diurnal.json")]
    sets = {"duration": "15m"}
    alone = {s: edgesim.run(s, set=sets).fingerprint for s in scen}
    got, errors = {}, []

    def whole_run(s, k):
        try:
            got[(s, k)] = edgesim.run(s, set=sets).fingerprint
        except BaseException as e:  # noqa: B902 - reported below, not lost in a thread
            errors.append(e)

    def stepped(s, k):
        try:
            sim = edgesim.Simulation(s, set=sets)
            for t in range(1, 31):
                sim.run_until(30.0 * t)
            got[(s, k)] = sim.finish().fingerprint
        except BaseException as e:  # noqa: B902
            errors.append(e)

    threads = [threading.Thread(target=f, args=(s, k)) for k, f in enumerate((whole_run, stepped))
               for s in scen]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(got) == 2 * len(scen)
    for (s, _), fp in got.items():
        assert fp == alone[s], s


def test_ctrl_c_pauses_a_long_run_which_then_goes_on_as_one_run():
    # A run was one C call that Python could not interrupt: Ctrl-C waited for
    # its end. It now runs in pieces of virtual time, so KeyboardInterrupt
    # comes between two, the simulation paused there; finishing it then gives
    # the run's own fingerprint.
    import os
    import signal
    import threading
    sets = {"duration": "2h"}
    s = edgesim.Simulation(QUICK, set=sets)
    timer = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            s.finish()
    finally:
        timer.cancel()
    assert 0 < s.now < s.end
    assert s.finish().fingerprint == edgesim.run(QUICK, set=sets).fingerprint


def test_a_run_freed_unfinished_leaves_no_folder_it_made(tmp_path):
    out = tmp_path / "new" / "o"
    s = edgesim.Simulation(QUICK, set=SHORT, outdir=str(out))
    s.run_until(10)
    s.close()
    assert not out.exists()  # as it was (its parent, made on the way, stays)
    kept = tmp_path / "kept"
    kept.mkdir()
    s = edgesim.Simulation(QUICK, set=SHORT, outdir=str(kept))
    s.close()
    assert kept.is_dir() and not any(kept.iterdir())


def test_run_json_counts_the_pieces_as_the_loop():
    # run.json's loop was sim_world_run's alone: after run_until pieces (every
    # Python run is in pieces now) it read ~0 s of loop and 1e11
    # invocations per second, the loop's time counted as set-up
    import json
    import os
    sets = {"duration": "10m"}
    for advance in ("whole", "pieces", "steps"):
        s = edgesim.Simulation(QUICK, set=sets)
        if advance == "pieces":
            s.run_until("5m")
        elif advance == "steps":
            for _ in range(20000):
                s.step()
        r = s.finish()
        with open(os.path.join(r.outdir, "run.json")) as f:
            run = json.load(f)
        assert run["events"] > 100000
        # no machine runs an event in under a nanosecond (before: 1e11/s)
        assert run["events_per_second"] < 1e9, (advance, run)
        assert run["loop_cpu_seconds"] > run["events"] * 1e-9, (advance, run)
